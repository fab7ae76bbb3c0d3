"""The database backend's index tables. Other backends keep their index elsewhere; nothing else reads these."""

from django.db import models


class SearchEntry(models.Model):
    """One published listing as the database backend indexes it.

    The `*_tokens` columns hold space-separated tokens from `search.text`. On SQLite they are the external
    content of the FTS5 table `search_fts` (created by the migration), which needs the old tokens to delete a
    row: SQLite 3.40 has no `contentless_delete`. On PostgreSQL the migration adds a `document` tsvector column
    built from them, with a GIN index. `title` and `summary` are kept as written, for highlighting.
    """

    listing_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    title_tokens = models.TextField()
    body_tokens = models.TextField()
    identifier_tokens = models.TextField()
    subword_tokens = models.TextField()
    published_at = models.DateTimeField(null=True, db_index=True)
    price_fen = models.BigIntegerField(null=True, db_index=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_entry"

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.title}"


class SearchFacetValue(models.Model):
    """One facet value of an entry (a listing may have several per facet: modes, patent types, centres)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=30)
    value = models.CharField(max_length=60)

    class Meta:
        db_table = "search_facet_value"
        indexes = [models.Index(fields=["facet", "value"], name="search_facet_lookup")]
        constraints = [models.UniqueConstraint(fields=["entry", "facet", "value"], name="search_facet_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.facet}={self.value}"
