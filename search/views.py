"""The patent finder at /patents/ (one optional box for words, patent numbers and IPC codes; facets with counts;
highlighted hits; numbered pages; help when nothing is found) and a buyer's saved searches. Results and counts
come from the search backend only; the cards shown for them come from the listings selector, in the backend's
order. The old addresses (/search/, the old browse parameters) redirect to it."""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, pgettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from listings.models import Patent
from listings.selectors import ListingCard, listing_cards
from marketplace.core.forms import service_error_text
from marketplace.core.languages import CHINESE, shown_text
from marketplace.core.pagination import page_links
from search import get_search_backend
from search.alerts import (
    saved_search_create,
    saved_search_delete,
    saved_search_form,
    saved_search_set_active,
    saved_searches_of,
)
from search.backends.base import (
    DEMANDS,
    FACETS,
    IPC_SECTION,
    LISTINGS,
    SUMMARY_SNIPPET_CHARS,
    BaseSearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.facets import FACET_TITLES, describe_filters, facet_groups, facet_vocabulary, value_label
from search.forms import (
    PAGE_SIZE,
    SORT_CHOICES,
    SearchForm,
    finder_query_of_old_address,
    query_without_empty_values,
    saved_search_path,
    search_path,
)
from search.kinds import document_provider, registered_kinds
from search.models import SavedSearch
from search.text import Match, application_number_tokens, highlight, ipc_tokens, parse_query, segment

NEWEST_COUNT = 5
SUGGESTION_COUNT = 5
# Relaxing the query word by word is offered for queries of at most this many words (one count query each).
MAX_WORDS_TO_RELAX = 5
MAX_WORDS_TO_CLASSIFY = 6
# An IPC code or its start as typed, one word: H01, H01M, H01M4/525 ('H01M 4/525' starts with the word 'H01M').
_IPC_WORD = re.compile(r"[A-H]\d{2}(?:[A-Z](?:\d{1,4}(?:/\d*)?)?)?", re.IGNORECASE)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class ActiveFilter:
    title: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class KindTab:
    """One kind of result the finder offers for the current words, with how many it finds."""

    kind: str
    label: str
    count: int
    url: str
    current: bool


@dataclass(frozen=True)
class Relaxation:
    """A broader search than the one that found nothing, with how many listings it finds."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class PatentLine:
    """One patent of a hit as the result shows it: its number and an IPC code, each marked when the query
    named it (the backend marks words only)."""

    number: str
    number_matched: bool
    ipc: str
    ipc_matched: bool


def _identifier_matches(text: str) -> list[Match]:
    return [
        alternative
        for clause in parse_query(text)
        for alternative in clause.alternatives
        if len(alternative.tokens) == 1 and not _CJK.search(alternative.tokens[0])
    ]


def _matches(tokens: list[str], matches: list[Match]) -> bool:
    return any(
        match.tokens[0] in tokens or (match.prefix and any(token.startswith(match.tokens[0]) for token in tokens))
        for match in matches
    )


def _patent_lines(patents: tuple[Patent, ...], matches: list[Match]) -> list[PatentLine]:
    lines = []
    for patent in patents:
        codes = patent.ipc_codes or ([patent.main_ipc] if patent.main_ipc else [])
        matched_code = next((code for code in codes if matches and _matches(ipc_tokens(code), matches)), "")
        lines.append(
            PatentLine(
                number=patent.display_number,
                number_matched=bool(matches)
                and _matches(application_number_tokens(patent.application_number), matches),
                ipc=matched_code or patent.main_ipc,
                ipc_matched=bool(matched_code),
            )
        )
    return lines


@dataclass(frozen=True)
class CardText:
    """A card's title and summary as its reader sees them (marketplace.core.languages), HTML-escaped, with <mark>
    around what the query matched."""

    title_html: str
    title_lang: str
    summary_html: str
    summary_lang: str
    chinese_only: bool


def _card_text(card: ListingCard, hit: SearchHit | None, query_text: str) -> CardText:
    title = shown_text(card.title, card.title_en)
    summary = shown_text(card.summary, card.summary_en)
    # The backend highlighted the Chinese texts it indexed; an English version shown instead is highlighted here.
    chinese_hit = hit is not None and title.lang == CHINESE
    return CardText(
        title_html=hit.title_html if chinese_hit else highlight(title.text, query_text),
        title_lang=title.lang,
        summary_html=(
            hit.summary_html
            if hit is not None and summary.lang == CHINESE
            else highlight(summary.text, query_text, max_chars=SUMMARY_SNIPPET_CHARS)
        ),
        summary_lang=summary.lang,
        chinese_only=title.chinese_only,
    )


def _cards(hits: list[SearchHit | None], cards: list[ListingCard], query_text: str) -> list[tuple]:
    """(text, card, patent lines) for each card, as templates/search/_cards.html shows them."""
    identifiers = _identifier_matches(query_text)
    return [
        (_card_text(card, hit, query_text), card, _patent_lines(card.patents, identifiers) if hit else [])
        for hit, card in zip(hits, cards, strict=True)
    ]


def _without(filters: dict[str, list[str]], facet: str, value: str) -> dict[str, list[str]]:
    narrowed = {name: [v for v in values if not (name == facet and v == value)] for name, values in filters.items()}
    return {name: values for name, values in narrowed.items() if values}


def _count(backend: BaseSearchBackend, text: str, filters: dict[str, list[str]]) -> int:
    return backend.search(SearchQuery(text=text, filters=filters, sort="newest", page_size=1)).total


def _relaxations(backend: BaseSearchBackend, query: SearchQuery, vocabulary) -> list[Relaxation]:
    """Each filter dropped in turn, each word dropped in turn, and the words dropped: those that find something."""
    options: list[tuple[str, str, dict[str, list[str]]]] = []
    for facet in FACETS:
        for value in query.filters.get(facet, []):
            label = gettext("Remove “%(facet)s: %(value)s”") % {
                "facet": FACET_TITLES[facet],
                "value": value_label(vocabulary, facet, value),
            }
            options.append((label, query.text, _without(query.filters, facet, value)))
    words = query.text.split()
    if 1 < len(words) <= MAX_WORDS_TO_RELAX:
        for position, word in enumerate(words):
            rest = " ".join(words[:position] + words[position + 1 :])
            options.append((gettext("Leave out the word “%(word)s”") % {"word": word}, rest, query.filters))
    if query.text and query.filters:
        options.append(
            (gettext("Keep the filters, drop the words “%(text)s”") % {"text": query.text}, "", query.filters)
        )
    relaxations = []
    for label, text, filters in options:
        count = _count(backend, text, filters)
        if count:
            relaxations.append(Relaxation(label=label, url=search_path(text, filters, query.sort), count=count))
    return sorted(relaxations, key=lambda relaxation: -relaxation.count)


def _query_words(text: str) -> list[str]:
    """The words of the query, Chinese runs segmented (锂电池散热器 → 锂电池, 散热器), each once."""
    words: list[str] = []
    for word in unicodedata.normalize("NFKC", text).split():
        if _CJK.search(word):
            words.extend(token for token in segment(word) if len(token) > 1)
        else:
            words.append(word)
    return list(dict.fromkeys(words))[:MAX_WORDS_TO_CLASSIFY]


def _likely_section(backend: BaseSearchBackend, text: str) -> str | None:
    """The IPC section the query looked like: the one it names, else the one its words find most listings in."""
    for word in unicodedata.normalize("NFKC", text).split():
        if _IPC_WORD.fullmatch(word):
            return word[0].upper()
    totals: Counter[str] = Counter()
    for word in _query_words(text):
        results = backend.search(SearchQuery(text=word, sort="newest", page_size=1, facets=(IPC_SECTION,)))
        totals.update(results.facet_counts.get(IPC_SECTION, {}))
    # On a tie the section of the earlier word wins: people type the main subject first.
    return max(totals, key=totals.__getitem__) if totals else None


def _suggestions(backend: BaseSearchBackend, text: str) -> list[tuple[str, str]]:
    """Titles completing what was typed (or, failing that, any of its words), each with its search address."""
    titles = list(backend.suggest(text, limit=SUGGESTION_COUNT)) if text else []
    if not titles:
        for word in _query_words(text):
            titles.extend(backend.suggest(word, limit=3))
    unique = [title for title in dict.fromkeys(titles) if title != text][:SUGGESTION_COUNT]
    return [(title, search_path(title)) for title in unique]


def _zero_results_help(backend: BaseSearchBackend, query: SearchQuery, vocabulary) -> dict:
    section = _likely_section(backend, query.text) if query.text else None
    newest: list[int] = []
    if section:
        newest = backend.search(
            SearchQuery(filters={IPC_SECTION: [section]}, sort="newest", page_size=NEWEST_COUNT)
        ).ids
    if not newest:
        section = None
        newest = backend.search(SearchQuery(sort="newest", page_size=NEWEST_COUNT)).ids
    newest_cards = listing_cards(newest)
    return {
        "suggestions": _suggestions(backend, query.text),
        "relaxations": _relaxations(backend, query, vocabulary),
        "newest_section": value_label(vocabulary, IPC_SECTION, section) if section else "",
        "newest_section_url": search_path(filters={IPC_SECTION: [section]}) if section else "",
        "newest_listings": _cards([None] * len(newest_cards), newest_cards, ""),
    }


def _default_name(query: SearchQuery, vocabulary) -> str:
    if query.text:
        return query.text
    return "; ".join(describe_filters(vocabulary, query.filters))[:100] or gettext("All listings")


def _finder_address(query: QueryDict) -> str:
    return reverse("search:finder") + (f"?{query.urlencode()}" if query else "")


def _kind_label(kind: str) -> str:
    return (
        pgettext("kind of result", "Technology demands") if kind == DEMANDS else pgettext("kind of result", "Patents")
    )


def _kind_tabs(backend: BaseSearchBackend, query: SearchQuery, results: SearchResults) -> list[KindTab]:
    """Patents and technology demands for the current words, so a visitor sees both counts and switches with the
    words kept. Each count is what the visitor sees there: the current kind's results as filtered, the other
    kind's for the words alone (filters belong to one kind and are not carried over). One count per other kind."""
    kinds = [LISTINGS, *registered_kinds()]
    if len(kinds) == 1:
        return []
    tabs = []
    for kind in kinds:
        if kind == query.kind:
            count = results.total
        else:
            count = backend.search(SearchQuery(text=query.text, sort="newest", page_size=1, kind=kind)).total
        url = search_path(query.text, kind=kind)
        tabs.append(KindTab(kind=kind, label=_kind_label(kind), count=count, url=url, current=kind == query.kind))
    return tabs


def _other_kind_finder(request: HttpRequest, form: SearchForm, backend: BaseSearchBackend) -> HttpResponse:
    """The finder's second kind of result (technology demands): the same words, the kind's own facets, its cards
    (the provider's template, search.kinds) and numbered pages."""
    provider = document_provider(form.kind)
    vocabulary = form.vocabulary
    titles = provider.facet_titles()
    query = form.search_query(page_size=PAGE_SIZE)
    results = backend.search(query)
    if not results.hits and results.total and query.page > 1:  # past the last page: show the last
        query = replace(query, page=results.num_pages)
        results = backend.search(query)
    cards = [
        render_to_string(provider.card_template, {provider.card_variable: card}, request=request)
        for card in provider.cards(results.ids)
    ]
    active_filters = [
        ActiveFilter(
            title=str(titles[facet]),
            label=value_label(vocabulary, facet, value),
            remove_url=search_path(query.text, _without(query.filters, facet, value), query.sort, kind=query.kind),
        )
        for facet in form.facets
        for value in query.filters.get(facet, [])
    ]
    context = {
        "form": form,
        "kind": query.kind,
        "kind_label": _kind_label(query.kind),
        "kind_tabs": _kind_tabs(backend, query, results),
        "query": query,
        "results": results,
        "other_cards": cards,
        "pages": page_links(number=results.page, num_pages=results.num_pages, total=results.total),
        "facet_groups": facet_groups(
            vocabulary, results.facet_counts, query.filters, facets=form.facets, titles=titles
        ),
        "active_filters": active_filters,
        "clear_filters_url": search_path(query.text, {}, query.sort, kind=query.kind),
        "sort_choices": [(value, label) for value, label in SORT_CHOICES if value in ("relevance", "newest")],
        "is_searching": bool(query.text or query.filters),
    }
    return render(request, "search/finder.html", context)


@require_safe
def finder(request: HttpRequest) -> HttpResponse:
    """The one page that finds patents on offer: words optional, facets, pages."""
    # An address of the old browse page: its parameters in the finder's words, for good (bookmarks, search engines).
    translated = finder_query_of_old_address(request.GET)
    if translated is not None:
        return HttpResponsePermanentRedirect(_finder_address(translated))
    # A GET form submits every field, filled or not; drop the empty ones so the address stays short and stable.
    compacted = query_without_empty_values(request.GET)
    if compacted is not None:
        return redirect(_finder_address(compacted))

    form = SearchForm(request.GET)
    backend = get_search_backend()
    if form.kind != LISTINGS:
        return _other_kind_finder(request, form, backend)
    vocabulary = form.vocabulary
    query = form.search_query(page_size=PAGE_SIZE)
    results: SearchResults = backend.search(query)
    if not results.hits and results.total and query.page > 1:  # past the last page (an old link): show the last
        query = replace(query, page=results.num_pages)
        results = backend.search(query)

    cards = {card.pk: card for card in listing_cards(results.ids)}
    shown_hits = [hit for hit in results.hits if hit.id in cards]
    active_filters = [
        ActiveFilter(
            title=str(FACET_TITLES[facet]),
            label=value_label(vocabulary, facet, value),
            remove_url=search_path(query.text, _without(query.filters, facet, value), query.sort),
        )
        for facet in FACETS
        for value in query.filters.get(facet, [])
    ]
    is_searching = bool(query.text or query.filters)
    already_saved = (
        is_searching
        and request.user.is_authenticated
        and any(saved.filters == query.filters for saved in saved_searches_of(request.user).filter(query=query.text))
    )
    context = {
        "form": form,
        "kind": LISTINGS,
        "kind_tabs": _kind_tabs(backend, query, results),
        "query": query,
        "results": results,
        "hits": _cards(shown_hits, [cards[hit.id] for hit in shown_hits], query.text),
        "pages": page_links(number=results.page, num_pages=results.num_pages, total=results.total),
        "facet_groups": facet_groups(vocabulary, results.facet_counts, query.filters),
        "active_filters": active_filters,
        "clear_filters_url": search_path(query.text, {}, query.sort),
        "sort_choices": SORT_CHOICES,
        "is_searching": is_searching,
        "default_name": _default_name(query, vocabulary),
        "already_saved": already_saved,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
        "examples": [
            (example, search_path(example))
            for example in ("锂电池正极材料", "lithium battery", "CN201710601862.3", "H01M 4/525")
        ],
    }
    if results.total == 0 and is_searching:
        context.update(_zero_results_help(backend, query, vocabulary))
    return render(request, "search/finder.html", context)


@require_safe
def old_search(request: HttpRequest) -> HttpResponse:
    """The old search page: the finder took its place. Same query, for good (/search/?q=… -> /patents/?q=…)."""
    query = finder_query_of_old_address(request.GET)
    return HttpResponsePermanentRedirect(_finder_address(request.GET if query is None else query))


# --- Saved searches -------------------------------------------------------------------------------------------


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.POST)
    back = search_path(form.text, form.filters, form.sort_order)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        saved_search = saved_search_create(
            user=request.user,
            name=request.POST.get("name", ""),
            text=form.text,
            filters=form.filters,
            language=get_language() or "",
        )
    except ValidationError as error:
        messages.error(request, service_error_text(error))
        return redirect(back)
    messages.success(
        request,
        gettext("Search saved as “%(name)s”. We will tell you as soon as a new listing matches it.")
        % {"name": saved_search.name},
    )
    return redirect(back)


@dataclass(frozen=True)
class SavedSearchRow:
    saved_search: SavedSearch
    url: str
    filters: list[str]


@login_required
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    vocabulary = facet_vocabulary()
    rows = [
        SavedSearchRow(
            saved_search=saved_search,
            url=saved_search_path(saved_search),
            filters=describe_filters(vocabulary, saved_search_form(saved_search, vocabulary=vocabulary).filters),
        )
        for saved_search in saved_searches_of(request.user)
    ]
    return render(request, "search/saved_list.html", {"rows": rows})


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved_search = get_object_or_404(saved_searches_of(request.user), pk=pk)
    saved_search_delete(saved_search=saved_search, actor=request.user)
    messages.success(request, gettext("Saved search “%(name)s” deleted.") % {"name": saved_search.name})
    return redirect("search:saved_list")


@login_required
@require_POST
def saved_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    saved_search = get_object_or_404(saved_searches_of(request.user), pk=pk)
    active = request.POST.get("active") == "on"
    saved_search_set_active(saved_search=saved_search, actor=request.user, active=active)
    if active:
        messages.success(request, gettext("Alerts for “%(name)s” are on.") % {"name": saved_search.name})
    else:
        messages.success(request, gettext("Alerts for “%(name)s” are off.") % {"name": saved_search.name})
    return redirect("search:saved_list")


def saved_searches_panel_context(request: HttpRequest) -> dict | None:
    """The "Saved searches" panel of My workspace: the latest few, each linked to its results."""
    if not request.user.is_authenticated:
        return None
    searches = saved_searches_of(request.user)
    latest = list(searches[:5])
    return {
        "searches": [(saved_search, saved_search_path(saved_search)) for saved_search in latest],
        "total": len(latest) if len(latest) < 5 else searches.count(),
    }
