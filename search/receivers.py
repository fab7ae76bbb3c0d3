"""Keep the index following the listings: every announced change is re-indexed once the transaction commits."""

from django.db import transaction

from listings.signals import listing_changed, listing_closed, listing_published
from search.services import listing_reindex


def reindex_after_commit(sender, listing, **kwargs) -> None:
    listing_id = listing.pk
    # After commit: a rolled-back change must not reach the index. robust=True logs an index failure instead
    # of failing a request whose change is already committed; `search_index rebuild` repairs the index.
    transaction.on_commit(lambda: listing_reindex(listing_id=listing_id), robust=True)


def connect() -> None:
    # Published, changed and closed all re-read the committed listing: see listing_reindex.
    listing_published.connect(reindex_after_commit, dispatch_uid="search.reindex_on_published")
    listing_changed.connect(reindex_after_commit, dispatch_uid="search.reindex_on_changed")
    listing_closed.connect(reindex_after_commit, dispatch_uid="search.reindex_on_closed")
