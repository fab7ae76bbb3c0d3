"""Tasks of the search app, run by the task runner. Each is idempotent: running it twice does no more than once."""

from dataclasses import asdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from marketplace.background.mail import mail_queue
from marketplace.background.selectors import task_waiting
from search import services
from search.alerts import alert_digests_send, mail_language
from search.forms import saved_search_path
from search.models import SavedSearchHit

# Ahead of the queue: a broker who publishes a listing looks for it in the search at once, whereas the bulk work
# queued beside it (Wagtail's reference and search indexes after a page import, say) can wait its turn.
INDEX_PRIORITY = 10


@task(priority=INDEX_PRIORITY)
def drain_index_outbox() -> dict[str, int]:
    """Nudged after every committed listing change, and every minute (settings.PERIODIC_TASKS) for whatever a lost
    nudge or an engine outage left behind. Listings first, then the other kinds' documents (demands)."""
    listings = asdict(services.index_outbox_drain())
    documents = asdict(services.document_outbox_drain())
    return {name: listings[name] + documents[name] for name in listings}


def drain_soon_after_commit() -> None:
    """Nudge a drain once the current transaction commits. robust: the change is committed whatever happens to
    the nudge, and the periodic drain catches up."""
    transaction.on_commit(_drain_soon, robust=True)


def _drain_soon() -> None:
    # A drain that has not started yet will see this commit: one is enough however many listings just changed.
    if not task_waiting(drain_index_outbox):
        drain_index_outbox.enqueue()


@task
def send_alert_digests() -> int:
    """Hourly: each person's saved-search hits not mailed yet, in one mail."""
    return alert_digests_send()


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
