"""What the database backend stores for a listing: its segmented text, its facet rows and its narrow keys row."""

from collections.abc import Iterable

from search.backends.base import ListingDocument
from search.backends.database.matches import facet_key
from search.models import SearchEntry, SearchEntryKeys, SearchFacetSet, SearchFacetValue
from search.text import application_number_tokens, grams, ipc_tokens, segment, subwords_of, token_string


def entry_for(document: ListingDocument, *, with_grams: bool = True) -> SearchEntry:
    """The entry for a listing; with `with_grams`, holding its gram stream too (`grams_for`)."""
    body = [document.summary, *document.body_texts]
    names = [*document.applicant_names, *document.inventor_names, document.seller_name]
    title_tokens = segment(document.title)
    body_tokens = [token for text in body for token in segment(text)]
    name_tokens = [token for name in names for token in segment(name)]
    identifiers = [
        *(token for number in document.application_numbers for token in application_number_tokens(number)),
        *(token for code in document.ipc_codes for token in ipc_tokens(code)),
        *name_tokens,
    ]
    return SearchEntry(
        listing_id=document.id,
        title=document.title,
        summary=document.summary,
        title_tokens=token_string(title_tokens),
        body_tokens=token_string(body_tokens),
        identifier_tokens=token_string(identifiers),
        subword_tokens=token_string(subwords_of([*title_tokens, *body_tokens, *name_tokens])),
        gram_tokens=token_string(grams_for(document)) if with_grams else "",
    )


def grams_for(document: ListingDocument) -> list[str]:
    """The gram stream of every text of a listing (`search.text.grams`), in order."""
    texts = [
        document.title,
        document.summary,
        *document.body_texts,
        *document.applicant_names,
        *document.inventor_names,
        document.seller_name,
    ]
    return [gram for text in texts for gram in grams(text)]


def facet_keys_of(document: ListingDocument) -> str:
    return " ".join(facet_key(value.facet, value.value) for value in facet_values_for(document))


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


def facet_values_for(document: ListingDocument) -> Iterable[SearchFacetValue]:
    for facet, values in document.facets.items():
        for value in dict.fromkeys(values):
            yield SearchFacetValue(entry_id=document.id, facet=facet, value=str(value))
