"""Background tasks of the demands app. Mail about demands is composed here and nowhere else."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from demands.models import DemandAnswer
from demands.services import demands_expire
from marketplace.background.mail import mail_queue
from marketplace.organisations.models import Membership


@task
def expire_demands() -> int:
    """Daily, after midnight: demands whose deadline was yesterday or earlier leave the site. Idempotent."""
    return len(demands_expire())


@task
def mail_demand_answered(*, answer_id: int) -> int:
    """Tell the people of the demand's organisation that a seller answered it, in the site's language. Enqueued
    after the answer commits; run twice by a runner that died before recording it done, the mail is queued twice:
    it never goes missing. Returns how many people it was sent to."""
    answer = (
        DemandAnswer.objects.filter(pk=answer_id, withdrawn_at__isnull=True)
        .select_related("demand", "organisation")
        .prefetch_related("answered_listings__listing")
        .first()
    )
    if answer is None:  # withdrawn (or its demand deleted) before the runner got to it
        return 0
    demand = answer.demand
    emails = Membership.objects.filter(organisation_id=demand.organisation_id, user__is_active=True).values_list(
        "user__email", flat=True
    )
    recipients = sorted({email for email in emails if email})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(seller)s answered your demand “%(demand)s”") % {
            "seller": answer.organisation.name,
            "demand": demand.title,
        }
        body = render_to_string(
            "demands/answered_email.txt",
            {
                "answer": answer,
                "demand": demand,
                "listings": [row.listing for row in answer.answered_listings.all()],
                "answers_url": settings.SITE_URL.rstrip("/") + reverse("demands:answers", args=[demand.pk]),
                "platform_name": settings.PLATFORM_NAME,
            },
        )
    mail_queue(EmailMessage(" ".join(subject.split()), body, to=recipients))
    return len(recipients)
