"""What the database backend stores for a listing: its segmented text, its facet rows and its narrow keys row."""

from collections.abc import Iterable

from search.backends.base import ListingDocument
from search.backends.database.matches import facet_key
from search.models import SearchEntry, SearchEntryKeys, SearchFacetSet
from search.text import application_number_tokens, ipc_tokens, segment_with_grams, subwords_of, token_string


def entry_for(document: ListingDocument, *, with_grams: bool = True) -> tuple[SearchEntry, list[str]]:
    """The entry for a listing and its gram stream (`search.text.grams` of every text, in order); with
    `with_grams`, the entry holds the grams too (`gram_tokens`)."""
    text_grams: list[str] = []

    def tokens_of(texts: list[str]) -> list[str]:
        tokens = []
        for text in texts:
            text_tokens, more_grams = segment_with_grams(text)
            tokens += text_tokens
            text_grams.extend(more_grams)
        return tokens

    title_tokens = tokens_of([document.title, document.title_en])
    body_tokens = tokens_of([document.summary, document.summary_en, *document.body_texts])
    name_tokens = tokens_of([*document.applicant_names, *document.inventor_names, document.seller_name])
    identifiers = [
        *(token for number in document.application_numbers for token in application_number_tokens(number)),
        *(token for code in document.ipc_codes for token in ipc_tokens(code)),
        *name_tokens,
    ]
    entry = SearchEntry(
        listing_id=document.id,
        title=document.title,
        summary=document.summary,
        title_tokens=token_string(title_tokens),
        body_tokens=token_string(body_tokens),
        identifier_tokens=token_string(identifiers),
        subword_tokens=token_string(subwords_of([*title_tokens, *body_tokens, *name_tokens])),
        gram_tokens=token_string(text_grams) if with_grams else "",
    )
    return entry, text_grams


def facet_keys_of(document: ListingDocument) -> str:
    return " ".join(facet_key(facet, value) for _, facet, value in facet_values_for(document))


def facet_set_ids(all_facet_keys: Iterable[str]) -> dict[str, int]:
    """The number of each set of facet keys, numbering those not seen before."""
    # In one order everywhere: indexing processes that add the same new sets at once then wait for each other
    # rather than deadlock.
    wanted = sorted(set(all_facet_keys))
    SearchFacetSet.objects.bulk_create([SearchFacetSet(facet_keys=keys) for keys in wanted], ignore_conflicts=True)
    return dict(SearchFacetSet.objects.filter(facet_keys__in=wanted).values_list("facet_keys", "id"))


def keys_for(document: ListingDocument, facet_set_id: int) -> SearchEntryKeys:
    return SearchEntryKeys(
        listing_id=document.id,
        facet_set_id=facet_set_id,
        published_at=document.published_at,
        price_fen=document.price_fen,
    )


def facet_values_for(document: ListingDocument) -> Iterable[tuple[int, str, str]]:
    """(entry id, facet, value) for each of the listing's facet values, as `SearchFacetValue` rows hold them (plain
    tuples: a rebuild writes millions)."""
    for facet, values in document.facets.items():
        for value in dict.fromkeys(values):
            yield document.id, facet, str(value)
