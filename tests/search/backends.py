"""Search backends for tests, chosen through SEARCH_BACKENDS like any other (`tests.search.backends.<Class>`).

Both wrap the database backend: the outage backend is our engine interface really failing, as an unreachable
Elasticsearch cluster fails, not a patched library; the counting one records the searches it is asked for.
"""

import threading

from search.backends.database import DatabaseSearchBackend

# Set while the engine is "down"; an Event, so the task runner's threads see it too.
ENGINE_DOWN = threading.Event()


class OutageBackend(DatabaseSearchBackend):
    """The database backend, refusing every call with a connection error while ENGINE_DOWN is set."""

    def _reachable(self) -> None:
        if ENGINE_DOWN.is_set():
            raise ConnectionError("search engine unreachable (connection refused)")

    def add_bulk(self, documents):
        self._reachable()
        return super().add_bulk(documents)

    def delete(self, listing_id):
        self._reachable()
        return super().delete(listing_id)

    def reset_index(self):
        self._reachable()
        return super().reset_index()

    def document_count(self):
        self._reachable()
        return super().document_count()

    def search(self, query):
        self._reachable()
        return super().search(query)

    def suggest(self, prefix, limit=10):
        self._reachable()
        return super().suggest(prefix, limit)


class CountingBackend(DatabaseSearchBackend):
    """The database backend, recording the words of every search it is asked for."""

    searches: list[str] = []

    def search(self, query):
        CountingBackend.searches.append(query.text)
        return super().search(query)
