"""The mails of saved-search alerts, written on the task runner. The services that owe a mail enqueue these; this
module imports none of them, so that they can."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from marketplace.background.mail import mail_queue
from search.forms import saved_search_path
from search.models import SavedSearchHit


def mail_language(language: str) -> str:
    """The language of a mail about something saved in this language: that one, if the site has it."""
    languages = {code for code, _name in settings.LANGUAGES}
    return language if language in languages else settings.LANGUAGE_CODE


@task
def mail_alert_digest(*, hit_ids: list[int]) -> None:
    """Write one person's digest of the hits a digest run marked mailed, grouped by saved search, and queue it.
    The run enqueues this in the transaction that marks them, so each hit is in one digest exactly. Run twice
    by a runner that died before recording it done, the mail is queued twice: it never goes missing."""
    hits = _digest_hits(hit_ids)
    if not hits:
        return  # the person closed their account meanwhile: their saved searches and hits are gone
    groups: dict[int, dict] = {}
    for hit in hits:
        saved_search = hit.saved_search
        group = groups.setdefault(
            saved_search.pk,
            {
                "saved_search": saved_search,
                "search_url": _absolute_url(saved_search_path(saved_search)),
                "listings": [],
            },
        )
        group["listings"].append(
            {
                "title": hit.listing.title,
                "summary": hit.listing.summary,
                "url": _absolute_url(hit.listing.get_absolute_url()),
            }
        )
    # One mail, one language: that of the newest saved search in it (groups are newest first).
    newest = hits[0].saved_search
    with translation.override(mail_language(newest.language)):
        if len(groups) == 1:
            subject = ngettext(
                "%(count)d new listing for your saved search “%(name)s”",
                "%(count)d new listings for your saved search “%(name)s”",
                len(hits),
            ) % {"count": len(hits), "name": newest.name}
        else:
            subject = ngettext(
                "%(count)d new listing for your saved searches",
                "%(count)d new listings for your saved searches",
                len(hits),
            ) % {"count": len(hits)}
        body = render_to_string(
            "search/alert_digest_email.txt",
            {
                "hit_count": len(hits),
                "groups": list(groups.values()),
                "manage_url": _absolute_url(reverse("search:saved_list")),
                "platform_name": settings.PLATFORM_NAME,
            },
        )
    mail_queue(EmailMessage(" ".join(subject.split()), body, to=[newest.user.email]))


def _digest_hits(hit_ids: list[int]) -> list[SavedSearchHit]:
    """The hits of one digest in the order the mail lists them: newest saved search first, then by when each
    listing was found."""
    return list(
        SavedSearchHit.objects.filter(pk__in=hit_ids)
        .select_related("saved_search__user", "listing")
        .order_by("-saved_search__created_at", "-saved_search__pk", "notified_at", "pk")
    )


def _absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
