"""Saved searches and their alerts: a buyer keeps a search, and when a listing it finds is published they hear of
it at once on their open pages, and by mail in a digest: one mail an hour at most, listing every new match of all
their saved searches. Each saved search alerts once per listing.

Saving, deleting and switching alerts are the services here. `saved_searches_alert` runs in the task runner once a
publication is indexed (the index outbox owes it; see `search.services.index_outbox_drain`) and asks the search
backend, never the listing tables, whether each saved search finds the new listing, so an alert always agrees with
what the search page would show. `alert_digests_send` runs hourly (`search.tasks.send_alert_digests`).
"""

import json
import logging
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from listings.models import Listing
from listings.selectors import on_market
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.core.notifications import notify_user_on_commit
from search import get_search_backend
from search.backends.base import CENTRE, FACETS, BaseSearchBackend, ListingDocument, SearchQuery
from search.documents import build_document, indexable_listings
from search.facets import facet_vocabulary
from search.forms import SearchForm, cleaned_values, cleaned_words
from search.models import SavedSearch, SavedSearchHit
from search.signals import alert_digest_due

logger = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 50
# Checking whether a saved search finds a listing reads at most this many pages of its (narrowed) results.
MATCH_PAGE_SIZE = 100
MATCH_MAX_PAGES = 10


# --- Reads --------------------------------------------------------------------------------------------------


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    """The person's own saved searches, newest first; nobody else's."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)


def saved_search_form(saved_search: SavedSearch, vocabulary=None) -> SearchForm:
    """The search form filled from a saved search, so its words and filters are checked as the page checks them."""
    data = MultiValueDict({"q": [saved_search.query]})
    filters = saved_search.filters if isinstance(saved_search.filters, dict) else {}
    for facet, values in filters.items():
        if facet in FACETS and isinstance(values, list):
            data.setlist(facet, [str(value) for value in values])
    return SearchForm(data, vocabulary=vocabulary)


def _saved_query(text: str, filters, allowed: dict[str, set[str]]) -> SearchQuery:
    """What `saved_search_form(...).search_query()` gives, by the form's own cleaning rules, without building a form
    for each of thousands of saved searches at every publication."""
    filters = filters if isinstance(filters, dict) else {}
    return SearchQuery(
        text=cleaned_words(text),
        filters={
            facet: values
            for facet in FACETS
            if isinstance(filters.get(facet), list) and (values := cleaned_values(filters[facet], allowed[facet]))
        },
    )


# --- Writes -------------------------------------------------------------------------------------------------


def saved_search_create(*, user, name: str, text: str, filters: dict[str, list[str]], language: str) -> SavedSearch:
    """Keep a search for the user, alerts on. Saving the same words and filters again returns the one already
    kept (with its alerts switched back on) instead of making a second one that would alert twice."""
    if not user.is_authenticated:
        raise PermissionDenied(gettext("Log in to save a search."))
    filters = {facet: list(values) for facet, values in filters.items() if facet in FACETS and values}
    existing = next(
        (saved for saved in saved_searches_of(user).filter(query=text) if saved.filters == filters),
        None,
    )
    if existing is not None:
        if not existing.active:
            existing.active = True
            existing.save(update_fields=["active"])
        return existing
    if saved_searches_of(user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            gettext("You can keep up to %(limit)d saved searches. Delete one you no longer need first.")
            % {"limit": MAX_SAVED_SEARCHES},
            code="too_many",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    saved_search = SavedSearch(
        user=user,
        name=" ".join(name.split())[:100] or text[:100] or gettext("All listings"),
        query=text,
        filters=filters,
        language=language if language in languages else "",
    )
    saved_search.full_clean()
    saved_search.save()
    return saved_search


def _require_owner(saved_search: SavedSearch, actor) -> None:
    if saved_search.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(gettext("This saved search belongs to someone else."))


def saved_search_delete(*, saved_search: SavedSearch, actor) -> None:
    _require_owner(saved_search, actor)
    saved_search.delete()


def saved_search_set_active(*, saved_search: SavedSearch, actor, active: bool) -> SavedSearch:
    _require_owner(saved_search, actor)
    saved_search.active = active
    saved_search.save(update_fields=["active"])
    return saved_search


def saved_searches_forget(*, user) -> None:
    """The person's saved searches and what they alerted about go (their account is closing): they are nobody
    else's business and would only mail a closed account."""
    SavedSearch.objects.filter(user=user).delete()


def saved_searches_personal_data(user) -> list[PersonalDataSection]:
    searches = [
        {
            "name": saved.name,
            "search_words": saved.query,
            "filters": saved.filters,
            "alerts_on": saved.active,
            "language_of_alerts": saved.language,
            "saved_at": saved.created_at,
            "last_alert_at": saved.last_notified_at,
        }
        for saved in saved_searches_of(user).order_by("created_at", "pk")
    ]
    return [PersonalDataSection("search.saved_searches", gettext("Your saved searches"), searches)]


# --- Alerts -------------------------------------------------------------------------------------------------


def _narrowed_to(query: SearchQuery, document: ListingDocument) -> SearchQuery | None:
    """The query restricted to listings sharing the new listing's facet values; None if it cannot find it.

    Exact, not a heuristic: on a facet the query filters, the listing passes when it has one of the wanted
    values, so keeping only the wanted values it has changes nothing for it; on the other facets its own values
    admit it. What is left is a handful of look-alike listings, newest first, so the new one is on page one.
    """
    narrowed: dict[str, list[str]] = {}
    for facet in FACETS:
        own = list(document.facets.get(facet, ()))
        wanted = query.filters.get(facet)
        if wanted:
            common = [value for value in wanted if value in own]
            if not common:
                return None
            narrowed[facet] = common
        elif facet == CENTRE and own:
            narrowed[facet] = own[:1]  # the hosting centre itself (the others are the centres above it)
        elif own:
            narrowed[facet] = own
    return replace(query, filters=narrowed, sort="newest", page=1, page_size=MATCH_PAGE_SIZE, facets=())


def search_finds_listing(backend: BaseSearchBackend, text: str, document: ListingDocument) -> bool:
    """Whether a search for these words finds the listing, among look-alikes narrowed to its own facet values.

    Filters play no part: a saved search whose filters admit the listing (`_narrowed_to` is not None) finds it
    exactly when its words do, since the backend ANDs words and filters listing by listing. So every saved search
    with the same words shares this one answer.
    """
    narrowed = _narrowed_to(SearchQuery(text=text), document)
    if narrowed is None:
        return False
    for page in range(1, MATCH_MAX_PAGES + 1):
        results = backend.search(replace(narrowed, page=page))
        if document.id in results.ids:
            return True
        if page >= results.num_pages:
            return False
    logger.warning("Saved-search alert: listing %s not within %s pages of a query", document.id, MATCH_MAX_PAGES)
    return False


def mail_language(language: str) -> str:
    """The language of a mail about something saved in this language: that one, if the site has it."""
    languages = {code for code, _name in settings.LANGUAGES}
    return language if language in languages else settings.LANGUAGE_CODE


def _alert(saved_search_ids: list[int], listing: Listing) -> int:
    """Record a hit for each of these saved searches and tell each owner on their open pages, once: the hit rows'
    unique constraint makes a second alert for a pair impossible (a pass racing this one fails on it, and is
    tried again later without those pairs). The mail comes with the owner's next digest. Returns how many."""
    messages: dict[str, str] = {}
    url = listing.get_absolute_url()
    alerted = 0
    for start in range(0, len(saved_search_ids), 500):
        chunk = saved_search_ids[start : start + 500]
        with transaction.atomic():
            already = SavedSearchHit.objects.filter(listing_id=listing.pk, saved_search_id__in=chunk)
            searches = list(
                SavedSearch.objects.filter(pk__in=chunk, active=True)  # not switched off since they were read
                .exclude(pk__in=already.values("saved_search_id"))
                .values_list("pk", "user_id", "name", "language")
            )
            SavedSearchHit.objects.bulk_create(
                [SavedSearchHit(saved_search_id=pk, listing=listing) for pk, *_ in searches]
            )
            SavedSearch.objects.filter(pk__in=[pk for pk, *_ in searches]).update(last_notified_at=timezone.now())
            for _pk, user_id, name, language in searches:
                language = mail_language(language)
                if language not in messages:
                    with translation.override(language):
                        messages[language] = gettext("New listing for your saved search “%(name)s”: %(title)s")
                text = messages[language] % {"name": name, "title": listing.title}
                notify_user_on_commit(user_id, {"message": text, "url": url})
        alerted += len(searches)
    return alerted


def saved_searches_alert(*, listing_id: int) -> int:
    """Alert the owner of every active saved search that finds this (just published) listing. Returns how many.

    Run by the task runner once the publication is committed and the listing indexed. Idempotent: searches that
    already alerted about this listing are skipped before any query is run. Cheap with many saved searches: each
    search's filters are checked against the listing's facet values here, in Python, and the backend is asked once
    per distinct set of words among the searches left (`search_finds_listing`), not once per search.
    """
    listing = indexable_listings().filter(pk=listing_id).first()
    if listing is None:  # paused or closed again before this ran
        return 0
    document = build_document(listing)
    candidates = (
        SavedSearch.objects.filter(active=True, user__is_active=True)
        .exclude(hits__listing_id=listing_id)
        .order_by("pk")
        .values_list("pk", "query", "filters")
    )
    # The vocabulary is read once (it reads the centres); many people save the same words and filters.
    allowed = {facet: {value for value, _label in values} for facet, values in facet_vocabulary().items()}
    words_if_admitted: dict[tuple[str, str], str | None] = {}
    by_words: dict[str, list[int]] = {}
    for pk, text, filters in candidates:
        key = (text, json.dumps(filters, sort_keys=True))
        if key not in words_if_admitted:
            query = _saved_query(text, filters, allowed)
            words_if_admitted[key] = query.text if _narrowed_to(query, document) is not None else None
        words = words_if_admitted[key]
        if words is not None:
            by_words.setdefault(words, []).append(pk)
    backend = get_search_backend()
    finding = [pk for words, pks in by_words.items() if search_finds_listing(backend, words, document) for pk in pks]
    return _alert(sorted(finding), listing)


# --- Digests --------------------------------------------------------------------------------------------------


def _pending_hits() -> QuerySet[SavedSearchHit]:
    """Hits not mailed yet that a digest may carry: of saved searches whose alerts are on, of people still active
    with an address, about listings still on the market (one closed since is left out; published again, it
    comes in a later digest)."""
    return (
        SavedSearchHit.objects.filter(
            on_market("listing__"),
            mailed_at=None,
            saved_search__active=True,
            saved_search__user__is_active=True,
        )
        .exclude(saved_search__user__email="")
        .order_by()
    )


def alert_digests_send(*, now: datetime | None = None) -> int:
    """Mail each person, once, every hit of their saved searches not mailed yet, grouped by saved search; returns
    how many digests were queued. Run hourly: one mail per person per hour at most.

    Idempotent, and safe in several runners at once: a person's hits are locked, marked mailed and the task that
    writes their mail (`search.tasks.mail_alert_digest`) enqueued in one transaction (the runner's queue is in the
    same database), so a second run finds none of them. A person
    whose digest fails keeps their hits for the next run; the others' digests still go, and the run then fails
    so that the failure shows among the tasks.
    """
    now = now or timezone.now()
    people = sorted(set(_pending_hits().values_list("saved_search__user_id", flat=True)))
    sent, failed = 0, []
    for user_id in people:
        try:
            sent += _digest_send(user_id, now)
        except Exception:
            logger.exception("Saved-search digest for person %s failed; their hits wait for the next run", user_id)
            failed.append(user_id)
    if failed:
        raise RuntimeError(f"The saved-search digests of {len(failed)} of {len(people)} people failed; see the log.")
    return sent


def _digest_send(user_id: int, now: datetime) -> int:
    with transaction.atomic():
        hit_ids = list(
            _pending_hits()
            .filter(saved_search__user_id=user_id)
            # On PostgreSQL a second run waits here, then finds these rows mailed; SQLite has one writer anyway.
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        if not hit_ids:
            return 0
        SavedSearchHit.objects.filter(pk__in=hit_ids).update(mailed_at=now)
        # In the same transaction: search.receivers enqueues the mail (the runner's queue is in this database), so
        # the hits are marked mailed and owed a mail, or neither.
        alert_digest_due.send(sender=SavedSearchHit, user_id=user_id, hit_ids=sorted(hit_ids))
    return 1
