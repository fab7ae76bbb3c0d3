"""Saved searches and their alerts: a buyer keeps a search, and when a listing it finds is published they hear of
it at once (a notification on their open pages) and by mail, once per listing.

Saving, deleting and switching alerts are the services here; `saved_searches_alert` runs in the task runner once
a publication is committed and indexed (the index outbox owes it; see `search.services.index_outbox_drain`) and
asks the search backend, never the listing tables, whether each saved search finds the new listing, so an alert
always agrees with what the search page would show.
"""

import json
import logging
from dataclasses import replace
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from listings.models import Listing
from marketplace.core.notifications import notify_user_on_commit
from search import get_search_backend
from search.backends.base import CENTRE, FACETS, BaseSearchBackend, SearchQuery
from search.documents import ListingDocument, build_document, indexable_listings
from search.facets import facet_vocabulary
from search.forms import SearchForm, cleaned_values, cleaned_words, search_path
from search.models import SavedSearch, SavedSearchHit

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
    """What `saved_search_form(...).search_query()` gives, by the form's own cleaning rules, without a form: building
    one takes ~0.7 ms, which 10,000 saved searches turn into seconds for every publication."""
    filters = filters if isinstance(filters, dict) else {}
    return SearchQuery(
        text=cleaned_words(text),
        filters={
            facet: values
            for facet in FACETS
            if isinstance(filters.get(facet), list) and (values := cleaned_values(filters[facet], allowed[facet]))
        },
    )


def saved_search_path(saved_search: SavedSearch) -> str:
    return search_path(saved_search.query, saved_search.filters if isinstance(saved_search.filters, dict) else {})


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


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _alert(saved_search: SavedSearch, listing: Listing) -> bool:
    """Tell the owner once: the hit row's unique constraint makes a second alert for the pair impossible."""
    with transaction.atomic():
        _hit, created = SavedSearchHit.objects.get_or_create(saved_search=saved_search, listing=listing)
        if not created:
            return False
        SavedSearch.objects.filter(pk=saved_search.pk).update(last_notified_at=timezone.now())
        languages = {code for code, _name in settings.LANGUAGES}
        language = saved_search.language if saved_search.language in languages else settings.LANGUAGE_CODE
        with translation.override(language):
            message = gettext("New listing for your saved search “%(name)s”: %(title)s") % {
                "name": saved_search.name,
                "title": listing.title,
            }
            subject = gettext("New listing for your saved search “%(name)s”") % {"name": saved_search.name}
            body = render_to_string(
                "search/alert_email.txt",
                {
                    "saved_search": saved_search,
                    "listing": listing,
                    "listing_url": _absolute(listing.get_absolute_url()),
                    "search_url": _absolute(saved_search_path(saved_search)),
                    "manage_url": _absolute(reverse("search:saved_list")),
                    "platform_name": settings.PLATFORM_NAME,
                },
            )
        notify_user_on_commit(saved_search.user_id, {"message": message, "url": listing.get_absolute_url()})
        if saved_search.user.email:
            # robust: one undeliverable address must not stop the alerts of the other searches.
            transaction.on_commit(
                partial(send_mail, " ".join(subject.split()), body, None, [saved_search.user.email]), robust=True
            )
    return True


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
    alerted = 0
    for start in range(0, len(finding), 500):
        chunk = SavedSearch.objects.filter(pk__in=finding[start : start + 500]).select_related("user").order_by("pk")
        alerted += sum(_alert(saved_search, listing) for saved_search in chunk)
    return alerted
