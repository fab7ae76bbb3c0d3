"""The finder's form (/patents/): what the address (or a saved search) asks for, turned into a `SearchQuery`.

Nothing a visitor puts in the address can break the page: an unknown facet value is dropped, an unknown sort or
a page that is not a number falls back to the default, as an old or hand-edited link should behave. Addresses
of the old browse page, whose parameters differed, are translated by `finder_query_of_old_address`.
"""

import unicodedata

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from listings.patents import terms as patent_terms
from search.backends.base import (
    FACETS_OF_KIND,
    IPC_CLASS,
    IPC_SECTION,
    KINDS,
    LEGAL_STATUS,
    LISTINGS,
    PRICE_BAND,
    SELLER_KIND,
    SORTS,
    SORTS_OF_KIND,
    SearchQuery,
)
from search.facets import FACET_TITLES, facet_vocabulary
from search.kinds import document_provider

MAX_QUERY_CHARS = 200
MAX_PAGE = 1000
PAGE_SIZE = 20
DEFAULT_SORT = "relevance"

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest first")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
]
assert [value for value, _label in SORT_CHOICES] == list(SORTS)


class FacetValuesField(forms.MultipleChoiceField):
    """Any number of values of one facet. Values outside the vocabulary are dropped rather than refused, so one
    stale value in a link does not throw away the others."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> list[str]:
        return cleaned_values(value, {str(choice) for choice, _label in self.choices})


def cleaned_words(text) -> str:
    """One space between words, however they were typed (full-width spaces included), and not too long."""
    return " ".join(str(text or "").split())[:MAX_QUERY_CHARS]


def cleaned_values(values, allowed: set[str]) -> list[str]:
    """The values of one facet that are in its vocabulary, each once, in the order given."""
    if isinstance(values, str):
        values = [values]
    return list(dict.fromkeys(str(item).strip() for item in values or [] if str(item).strip() in allowed))


class SearchForm(forms.Form):
    """q (optional), one multi-valued field per facet, sort and page. Always bound; read it through
    `search_query()`."""

    q = forms.CharField(
        label=_("Search the patents on offer"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": MAX_QUERY_CHARS,
                "placeholder": _("e.g. 锂电池正极材料 · lithium battery · CN201710601862.3 · H01M 4/525"),
                "autocomplete": "off",
                "enterkeyhint": "search",
                "aria-describedby": "search-help",
            }
        ),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, data=None, *, vocabulary: dict[str, list[tuple[str, str]]] | None = None, **kwargs) -> None:
        super().__init__(QueryDict() if data is None else data, **kwargs)
        # Which kind of result: patents on offer (listings, the default) or technology demands, when the app that
        # describes them is installed (search.kinds). The facets follow the kind.
        self.kind = kind_of(self.data.get("kind"))
        provider = document_provider(self.kind)
        if provider is None:
            self.vocabulary = facet_vocabulary() if vocabulary is None else vocabulary
            titles = FACET_TITLES
        else:
            self.vocabulary = provider.facet_vocabulary() if vocabulary is None else vocabulary
            titles = provider.facet_titles()
        self.facets = FACETS_OF_KIND[self.kind]
        for facet in self.facets:
            self.fields[facet] = FacetValuesField(label=titles[facet], choices=self.vocabulary[facet])

    def clean_q(self) -> str:
        return cleaned_words(self.cleaned_data.get("q", ""))

    # A field that fails validation is simply absent from cleaned_data: its default applies.

    @property
    def _cleaned(self) -> dict:
        self.errors  # noqa: B018 - runs the validation once
        return self.cleaned_data

    @property
    def text(self) -> str:
        return self._cleaned.get("q") or ""

    @property
    def filters(self) -> dict[str, list[str]]:
        return {facet: values for facet in self.facets if (values := self._cleaned.get(facet))}

    @property
    def sort_order(self) -> str:
        sort = self._cleaned.get("sort") or DEFAULT_SORT
        return sort if sort in SORTS_OF_KIND[self.kind] else DEFAULT_SORT

    @property
    def page_number(self) -> int:
        return self._cleaned.get("page") or 1

    def search_query(self, *, page_size: int = PAGE_SIZE, facets: tuple[str, ...] | None = None) -> SearchQuery:
        return SearchQuery(
            text=self.text,
            filters=self.filters,
            sort=self.sort_order,
            page=self.page_number,
            page_size=page_size,
            facets=self.facets if facets is None else facets,
            kind=self.kind,
        )


def kind_of(value) -> str:
    """The kind a `kind` parameter asks for: listings unless it names another kind whose app is installed."""
    value = str(value or "")
    return value if value in KINDS and value != LISTINGS and document_provider(value) is not None else LISTINGS


def search_path(
    text: str = "", filters: dict[str, list[str]] | None = None, sort: str = DEFAULT_SORT, *, kind: str = LISTINGS
) -> str:
    """The finder's address for a query: '/patents/?q=…&mode=licence&mode=transfer'; for demands
    '/patents/?q=…&kind=demands&field=H'."""
    pairs: list[tuple[str, str]] = [("q", text)] if text else []
    if kind != LISTINGS:
        pairs.append(("kind", kind))
    filters = filters or {}
    pairs += [(facet, value) for facet in FACETS_OF_KIND[kind] for value in filters.get(facet, [])]
    if sort != DEFAULT_SORT:
        pairs.append(("sort", sort))
    return reverse("search:finder") + (f"?{urlencode(pairs)}" if pairs else "")


def saved_search_path(saved_search) -> str:
    """The finder's address of a saved search."""
    return search_path(saved_search.query, saved_search.filters if isinstance(saved_search.filters, dict) else {})


# --- Addresses of the old browse page ---------------------------------------------------------------------------

# The old /patents/ page (one value per filter) named some filters differently: old name -> facet.
_RENAMED = {"section": IPC_SECTION, "seller_type": SELLER_KIND, "price": PRICE_BAND}
# Its legal-status group "pending" was published or under examination ("granted" means the same in both).
_LEGAL_STATUS_GROUPS = {"pending": sorted(patent_terms.PENDING)}
# Its sorts; "term" (longest remaining term first) has no equivalent and is dropped.
_OLD_SORTS = {"price": "price_asc", "-price": "price_desc"}
# Its filter with no equivalent: at least 5 or 10 years of term left.
_DROPPED = {"term"}


def _old_ipc_class(value: str) -> str:
    # The old form took 'h01' and full-width 'Ｈ０１' as well.
    return unicodedata.normalize("NFKC", value).strip().upper()


def finder_query_of_old_address(query: QueryDict) -> QueryDict | None:
    """The finder's query for an address of the old browse page (/patents/?section=H&sort=-price); None when
    the address has no old parameter, as every address the finder writes. What has no equivalent is dropped."""
    translated = QueryDict(mutable=True)
    changed = False
    for name, values in query.lists():
        if name in _DROPPED:
            changed = True
        elif name in _RENAMED:
            changed = True
            for value in values:
                translated.appendlist(_RENAMED[name], value)
        elif name == LEGAL_STATUS and any(value in _LEGAL_STATUS_GROUPS for value in values):
            changed = True
            for value in values:
                for status in _LEGAL_STATUS_GROUPS.get(value, [value]):
                    translated.appendlist(name, status)
        elif name == IPC_CLASS and any(_old_ipc_class(value) != value for value in values):
            changed = True
            translated.setlist(name, [_old_ipc_class(value) for value in values])
        elif name == "sort" and any(value in _OLD_SORTS or value == "term" for value in values):
            changed = True
            if sorts := [_OLD_SORTS.get(value, value) for value in values if value != "term"]:
                translated.setlist(name, sorts)
        else:
            translated.setlist(name, values)
    return translated if changed else None


def query_without_empty_values(query: QueryDict) -> QueryDict | None:
    """The query without its empty parameters ("?mode=&city=ningbo" -> "?city=ningbo"); None if it has none."""
    if all(value != "" for _name, values in query.lists() for value in values):
        return None
    compacted = QueryDict(mutable=True)
    for name, values in query.lists():
        kept = [value for value in values if value != ""]
        if kept:
            compacted.setlist(name, kept)
    return compacted
