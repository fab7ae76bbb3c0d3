"""The database backend's index tables (other backends keep their index elsewhere; nothing else reads these), the
outbox of index updates every backend is fed from, and saved searches with their alerts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One published listing as the database backend indexes it.

    The `*_tokens` columns hold space-separated tokens from `search.text`. On SQLite they are the external
    content of the FTS5 table `search_fts` (created by the migration), which needs the old tokens to delete a
    row: SQLite 3.40 has no `contentless_delete`. On PostgreSQL the vectors built from them live in the narrow
    `SearchEntryKeys` row instead. `title` and `summary` are kept as written, for highlighting.
    """

    listing_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    title_tokens = models.TextField()
    body_tokens = models.TextField()
    identifier_tokens = models.TextField()
    subword_tokens = models.TextField()
    # SQLite only (the FTS5 table's fifth column); PostgreSQL adds the grams to the keys row's document directly.
    gram_tokens = models.TextField(blank=True, default="")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_entry"

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.title}"


class SearchFacetSet(models.Model):
    """One distinct set of facet values, as space-separated `facet:value` keys, numbered.

    Entries share a few thousand sets even at a million listings, so each keys row holds the set's number and not
    its ~150 characters: the rows a search visits stay narrow, and the PostgreSQL engine counts matches per number.
    Sets are never removed: one that no entry has any more costs a row and changes no count.
    """

    facet_keys = models.TextField(unique=True)

    class Meta:
        db_table = "search_facet_set"

    def __str__(self) -> str:
        return self.facet_keys


class SearchEntryKeys(models.Model):
    """What filtering, counting and sorting need of an entry, in a narrow row of its own.

    A text search reads this row for every match (thousands for a common word), so it must not sit behind the
    entry's long token columns. `facet_set` names the entry's facet values (`SearchFacetSet`), counted in one pass
    over the matches; `SearchFacetValue` holds the same values one per row, for filter-only searches, which start
    from the whole index and need its indexes.

    On PostgreSQL migration 0005 adds two GIN-indexed tsvector columns that Django does not model: `document`
    (everything searchable) and `title_document` (the title's words, for ranking).
    The document is usually over 2 kB and stored out of line, so the row a search visits stays small.
    """

    listing_id = models.BigIntegerField(primary_key=True)
    facet_set = models.ForeignKey(SearchFacetSet, on_delete=models.PROTECT, related_name="+", db_index=False)
    published_at = models.DateTimeField(null=True, db_index=True)
    price_fen = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        db_table = "search_entry_keys"

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.facet_set_id}"


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


class SearchDocumentEntry(models.Model):
    """One document of a kind other than listings (a published technology demand), as the database backend
    indexes it: the same token columns as `SearchEntry`, segmented by the same `search.text`, with its facet values
    as space-separated `facet:value` keys and its sort key in the row itself.

    Such an index is small (thousands of demands, not a million listings), so a search reads every match of its
    kind and filters, counts and sorts them in Python (`search.backends.database.documents`). On SQLite the token
    columns are the external content of the FTS5 table `search_document_fts`; on PostgreSQL migration 0011 adds a
    GIN-indexed tsvector column `document` that Django does not model.
    """

    kind = models.CharField(max_length=20)
    document_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    title_tokens = models.TextField()
    body_tokens = models.TextField()
    identifier_tokens = models.TextField()
    subword_tokens = models.TextField()
    gram_tokens = models.TextField(blank=True, default="")
    facet_keys = models.TextField(blank=True, default="")
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document_entry"
        constraints = [models.UniqueConstraint(fields=["kind", "document_id"], name="search_document_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}: {self.title}"


# --- Index updates owed (whatever the backend) -------------------------------------------------------------------


class IndexOutbox(models.Model):
    """A listing whose entry in the search index is owed an update, and, after a publication, whose saved-search
    alerts are owed too.

    Written in the transaction that changed the listing (`search.services.index_outbox_queue`): a change that rolls
    back leaves nothing, and a committed one is never lost, whatever state the search engine is in. The task runner
    drains it (`search.services.index_outbox_drain`): it re-indexes the listing as committed, sends the alerts a
    publication owes once the listing is in the index, and deletes the entry, unless `version` moved meanwhile (the
    listing changed again, and the entry stays for the next pass). A failed attempt keeps the entry, with its
    error, until `next_attempt_at`, each time a little later. `first_queued_at` is when the oldest change still
    waiting was made: how far behind the index is.
    """

    # Not a foreign key: a listing that is deleted must still leave the index.
    listing_id = models.BigIntegerField(_("listing"), primary_key=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    first_queued_at = models.DateTimeField(_("waiting since"))
    queued_at = models.DateTimeField(_("last change"))
    alert = models.BooleanField(_("alerts owed"), default=False)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("being indexed since"), null=True, blank=True)

    class Meta:
        db_table = "search_index_outbox"
        verbose_name = _("listing waiting to be indexed")
        verbose_name_plural = _("listings waiting to be indexed")
        ordering = ["first_queued_at", "listing_id"]
        indexes = [models.Index(fields=["next_attempt_at"], name="search_outbox_due")]

    def __str__(self) -> str:
        return str(self.listing_id)


class DocumentOutbox(models.Model):
    """A document of another kind than listings (a demand) whose entry in the search index is owed an update: the
    same rules as `IndexOutbox` (written in the transaction of the change, drained by the task runner once it
    commits, kept with its error and retried later when the engine refuses), keyed by kind and id."""

    kind = models.CharField(_("kind"), max_length=20)
    document_id = models.BigIntegerField(_("document"))
    version = models.PositiveIntegerField(_("version"), default=1)
    first_queued_at = models.DateTimeField(_("waiting since"))
    queued_at = models.DateTimeField(_("last change"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("being indexed since"), null=True, blank=True)

    class Meta:
        db_table = "search_document_outbox"
        verbose_name = _("document waiting to be indexed")
        verbose_name_plural = _("documents waiting to be indexed")
        ordering = ["first_queued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "document_id"], name="search_document_outbox_once")]
        indexes = [models.Index(fields=["next_attempt_at"], name="search_doc_outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}"


# --- Saved searches and their alerts (not part of any backend's index) ------------------------------------------


class SavedSearch(models.Model):
    """A buyer's search kept to run again, which alerts them when a listing it finds is published.

    `query` and `filters` are what the search page was given (`filters` maps a facet to its values, as
    `SearchQuery.filters`); they are checked again by the search form whenever they are used, so a value that
    has since left the vocabulary is dropped rather than breaking the search. `language` is the language the
    buyer used when saving it: the language their alerts are written in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search words"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language of the alerts"), max_length=10, blank=True)
    active = models.BooleanField(_("alerts on"), default=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    last_notified_at = models.DateTimeField(_("last alert"), null=True, blank=True)

    class Meta:
        db_table = "search_saved_search"
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="search_saved_by_user")]

    def __str__(self) -> str:
        return self.name


class SavedSearchHit(models.Model):
    """A listing a saved search has alerted about. One row per pair, so a listing that is paused and published
    again, or announced twice, never alerts the same search twice.

    The owner is told at once on their open pages (`notified_at`); the mail comes in their next digest, which lists
    every hit not mailed yet and marks them `mailed_at` in the transaction that queues it.
    """

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    listing = models.ForeignKey("listings.Listing", on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(auto_now_add=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "search_saved_search_hit"
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "listing"], name="search_saved_hit_once_per_listing")
        ]
        # The digest reads the hits not mailed yet: a handful among every hit ever made.
        indexes = [
            models.Index(
                fields=["saved_search"], condition=models.Q(mailed_at__isnull=True), name="search_hit_unmailed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id}: {self.listing_id}"
