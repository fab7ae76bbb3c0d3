"""Listing search on an Elasticsearch 8 or 9 cluster, with the DSL that ships in the 8.x client (which talks to 8
and, through REST compatibility, to 9). Same semantics as the database backend; design: docs/search.md.

Request bodies are built by pure functions (`queries`, `alias_swap_actions`) and read back by `responses`, so the
offline tests compare dicts; importing this package or constructing the backend makes no request. The index is
reached through an alias: `reset_index` and `rebuild` fill `<alias>-<timestamp>` and move the alias in one atomic
step, so searches never see a half-built index.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import ApiError, TransportError, helpers
from elasticsearch.dsl import connections

from search.backends.base import (
    DEMANDS,
    BackendHealth,
    BaseSearchBackend,
    DemandDocument,
    ListingDocument,
    SearchQuery,
    SearchResults,
)
from search.backends.elasticsearch.queries import (
    build_search,
    build_suggest,
    faceted_search,
    suggest_search,
    text_query,
)
from search.backends.elasticsearch.responses import clean_highlight, results_from_response
from search.es_mapping import (
    DEFAULT_ANALYZER,
    analysis_for,
    bulk_action,
    demand_bulk_action,
    demand_index,
    listing_index,
)

__all__ = [
    "ElasticsearchSearchBackend",
    "SearchBackend",
    "alias_swap_actions",
    "build_search",
    "build_suggest",
    "clean_highlight",
    "new_index_name",
    "results_from_response",
    "text_query",
]


# --- Indexes and the alias ------------------------------------------------------------------------------------


def new_index_name(alias: str, now: datetime) -> str:
    return f"{alias}-{now:%Y%m%d%H%M%S%f}"


def alias_swap_actions(alias: str, new_index: str, old_indices: Iterable[str], *, alias_is_index: bool = False) -> list:
    """One atomic update_aliases request: the alias leaves the old indexes and points at the new one.

    When a plain index already has the alias's name (created by a write before any alias existed), it is removed
    in the same request, since an alias cannot share a name with an index.
    """
    if alias_is_index:
        removals = [{"remove_index": {"index": alias}}]
    else:
        removals = [{"remove": {"index": index, "alias": alias}} for index in sorted(old_indices) if index != new_index]
    return [*removals, {"add": {"index": new_index, "alias": alias}}]


class ElasticsearchSearchBackend(BaseSearchBackend):
    """SEARCH_BACKENDS options: URLS (list), INDEX (the alias), ANALYZER (cjk / smartcn / ik_max_word),
    optionally OPTIONS (keyword arguments for the Elasticsearch client: api_key, basic_auth, ca_certs ...),
    INDEX_SETTINGS (merged into the index settings) and REFRESH (how writes wait to be searchable; "wait_for")."""

    def __init__(self, *, alias: str, **params):
        super().__init__(alias=alias, **params)
        urls = [url for url in params.get("URLS", []) if url]
        if not urls:
            raise ImproperlyConfigured("The Elasticsearch search backend needs URLS (ELASTICSEARCH_URL).")
        self.index_alias = params.get("INDEX", "ipmarket-listings")
        # The demands' index, beside the listings' (its own mapping and alias).
        self.demand_alias = params.get("DEMAND_INDEX") or f"{self.index_alias}-demands"
        self.analyzer = params.get("ANALYZER") or DEFAULT_ANALYZER
        analysis_for(self.analyzer)
        self.index_settings = dict(params.get("INDEX_SETTINGS", {}))
        self.refresh = params.get("REFRESH", "wait_for")
        # A connection of its own in the DSL's registry; creating it makes no request.
        self.using = f"search-{alias}"
        connections.create_connection(alias=self.using, hosts=urls, **params.get("OPTIONS", {}))
        self._index_ready = False
        self._demand_index_ready = False

    @property
    def client(self):
        return connections.get_connection(self.using)

    def healthcheck(self) -> BackendHealth:
        analyzer = analysis_for(self.analyzer).index
        try:
            version = self.client.info()["version"]["number"]
            status = self.client.cluster.health()["status"]
        except (ApiError, TransportError) as error:
            # str() of a transport error is only its class ("Connection error"); the message says what failed.
            return BackendHealth(ok=False, detail=f"elasticsearch: {getattr(error, 'message', error)}")
        try:
            self.client.indices.analyze(analyzer=analyzer, text="锂电池")
        except ApiError:
            return BackendHealth(ok=False, detail=f"elasticsearch {version}: analyzer {analyzer} missing (plugin?)")
        detail = f"elasticsearch {version} (cluster {status}, alias {self.index_alias}, analyzer {self.analyzer})"
        return BackendHealth(ok=status != "red", detail=detail)

    # --- Writing ------------------------------------------------------------------------------------------

    def _ensure_index(self) -> None:
        # A write to a missing alias would let Elasticsearch create an index with a guessed mapping.
        if not self._index_ready:
            if not self.client.indices.exists(index=self.index_alias):
                self._point_alias_at(self._create_index())
            self._index_ready = True

    def _bulk(self, documents: Iterable[ListingDocument], *, index: str, refresh) -> None:
        actions = (bulk_action(document, index, self.analyzer) for document in documents)
        helpers.bulk(self.client, actions, refresh=refresh)

    def add_bulk(self, documents: list[ListingDocument]) -> None:
        latest = {document.id: document for document in documents}
        if latest:
            self._ensure_index()
            self._bulk(latest.values(), index=self.index_alias, refresh=self.refresh)

    def delete(self, listing_id: int) -> None:
        self._ensure_index()
        self.client.options(ignore_status=404).delete(index=self.index_alias, id=str(listing_id), refresh=self.refresh)

    def _create_index(self, *, loading: bool = False, demands: bool = False) -> str:
        name = new_index_name(self.demand_alias if demands else self.index_alias, timezone.now())
        settings = {**self.index_settings, **({"refresh_interval": "-1"} if loading else {})}
        (demand_index if demands else listing_index)(name, self.analyzer, settings).create(using=self.using)
        return name

    def _point_alias_at(self, name: str, *, demands: bool = False) -> None:
        alias = self.demand_alias if demands else self.index_alias
        indices = self.client.indices
        old: list[str] = []
        alias_is_index = False
        if indices.exists_alias(name=alias):
            old = sorted(indices.get_alias(name=alias))
        elif indices.exists(index=alias):
            alias_is_index = True
        indices.update_aliases(actions=alias_swap_actions(alias, name, old, alias_is_index=alias_is_index))
        for index in old:
            if index != name:
                self.client.options(ignore_status=404).indices.delete(index=index)
        if demands:
            self._demand_index_ready = True
        else:
            self._index_ready = True

    def reset_index(self) -> None:
        self._point_alias_at(self._create_index())
        self._point_alias_at(self._create_index(demands=True), demands=True)

    def rebuild(self, batches: Iterable[list[ListingDocument]]) -> int:
        """Fill a new index while the old one keeps answering, then move the alias to it in one atomic step."""
        name = self._create_index(loading=True)
        indexed = 0
        try:
            for batch in batches:
                self._bulk(batch, index=name, refresh=False)
                indexed += len(batch)
            self.client.indices.put_settings(
                index=name, settings={"index": {"refresh_interval": self.index_settings.get("refresh_interval")}}
            )
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=name)
            raise
        self._point_alias_at(name)
        return indexed

    def optimise_index(self) -> None:
        # Make everything written searchable. No force-merge: the index keeps receiving writes.
        self.client.indices.refresh(index=self.index_alias)

    def document_count(self) -> int:
        self._ensure_index()
        return self.client.count(index=self.index_alias)["count"]

    # --- Reading ------------------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        if query.kind == DEMANDS:
            self._ensure_demand_index()
            index = self.demand_alias
        else:
            self._ensure_index()
            index = self.index_alias
        faceted = faceted_search(query, analyzer=self.analyzer, index=index, using=self.using)
        response = faceted.execute()
        return results_from_response(response.to_dict(), query, scored=faceted.scored)

    # --- Demands ------------------------------------------------------------------------------------------

    def _ensure_demand_index(self) -> None:
        if not self._demand_index_ready:
            if not self.client.indices.exists(index=self.demand_alias):
                self._point_alias_at(self._create_index(demands=True), demands=True)
            self._demand_index_ready = True

    def add_demands(self, documents: list[DemandDocument]) -> None:
        latest = {document.id: document for document in documents}
        if latest:
            self._ensure_demand_index()
            actions = (demand_bulk_action(document, self.demand_alias, self.analyzer) for document in latest.values())
            helpers.bulk(self.client, actions, refresh=self.refresh)

    def delete_demand(self, demand_id: int) -> None:
        self._ensure_demand_index()
        self.client.options(ignore_status=404).delete(index=self.demand_alias, id=str(demand_id), refresh=self.refresh)

    def rebuild_demands(self, documents: list[DemandDocument]) -> int:
        """A new demands' index, filled, then the alias moved to it in one step (as `rebuild`)."""
        name = self._create_index(demands=True)
        latest = {document.id: document for document in documents}
        try:
            actions = (demand_bulk_action(document, name, self.analyzer) for document in latest.values())
            helpers.bulk(self.client, actions, refresh=True)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=name)
            raise
        self._point_alias_at(name, demands=True)
        return len(latest)

    def demand_count(self) -> int:
        self._ensure_demand_index()
        return self.client.count(index=self.demand_alias)["count"]

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        search = suggest_search(prefix, limit, index=self.index_alias, using=self.using)
        if search is None:
            return []
        self._ensure_index()
        titles = [hit["_source"]["title"] for hit in search.execute().to_dict()["hits"]["hits"]]
        return list(dict.fromkeys(titles))[:limit]


SearchBackend = ElasticsearchSearchBackend
