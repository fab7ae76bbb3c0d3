"""Tasks of matching, run by the task runner. Each is idempotent: running it twice does no more than once (a
digest's notices are claimed, in the transaction that marks them mailed, before its mail is queued)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from marketplace.background.mail import mail_queue
from matching import services
from matching.models import MatchNotice


@task
def refresh_demand_matches(*, demand_id: int) -> int:
    return services.match_demand_refresh(demand_id=demand_id)


@task
def refresh_listing_matches(*, listing_id: int) -> int:
    return services.match_listing_refresh(listing_id=listing_id)


@task
def refresh_all_matches() -> dict[str, int]:
    return services.match_refresh_all()


def enqueue_after_commit(task_to_run, **kwargs) -> None:
    """Queue a refresh once the change that called for it commits (robust: the change stands whatever happens
    to the queueing)."""
    transaction.on_commit(lambda: task_to_run.enqueue(**kwargs), robust=True)


@task
def send_match_digests() -> int:
    """Daily (settings.PERIODIC_TASKS): one mail per person with new matches waiting for their digest."""
    sent = 0
    for user_id in services.users_with_digest_due():
        notice_ids = services.match_digest_claim(user_id=user_id)
        if notice_ids:
            mail_match_digest.enqueue(notice_ids=notice_ids)
            sent += 1
    return sent


@task
def mail_match_digest(*, notice_ids: list[int]) -> None:
    notices = list(
        MatchNotice.objects.filter(pk__in=notice_ids).select_related("user", "demand", "listing").order_by("-score")
    )
    if not notices:
        return
    user = notices[0].user
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d new match for your demands and listings",
            "%(count)d new matches for your demands and listings",
            len(notices),
        ) % {"count": len(notices)}
        body = render_to_string(
            "matching/digest_email.txt",
            {
                "notices": [
                    {
                        "notice": notice,
                        "demand_url": site + notice.demand.get_absolute_url(),
                        "listing_url": site + notice.listing.get_absolute_url(),
                    }
                    for notice in notices
                ],
                "settings_url": site + reverse("accounts:account"),
                "platform_name": settings.PLATFORM_NAME,
            },
        )
    mail_queue(EmailMessage(subject, body, to=[user.email]))
