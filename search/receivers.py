"""Keep the index following the listings: every announced change is written to the index outbox in the
transaction that made it, and the task runner brings the index up to date once it commits (`search.services`).
A publication also owes the saved-search alerts, sent by the runner once the listing is in the index. A centre
saved or deleted makes the finder read its facet vocabulary again."""

from django.db.models.signals import post_delete, post_save

from listings.signals import listing_changed, listing_closed, listing_published
from marketplace.centres.models import OperationCentre
from search.facets import forget_facet_vocabulary
from search.services import index_outbox_queue
from search.tasks import drain_soon_after_commit


def queue_reindex(sender, listing, **kwargs) -> None:
    index_outbox_queue(listing_id=listing.pk)
    drain_soon_after_commit()


def queue_reindex_and_alerts(sender, listing, **kwargs) -> None:
    index_outbox_queue(listing_id=listing.pk, alert=True)
    drain_soon_after_commit()


def connect() -> None:
    # Published, changed and closed all re-read the committed listing: see listing_reindex.
    listing_published.connect(queue_reindex_and_alerts, dispatch_uid="search.reindex_on_published")
    listing_changed.connect(queue_reindex, dispatch_uid="search.reindex_on_changed")
    listing_closed.connect(queue_reindex, dispatch_uid="search.reindex_on_closed")
    # The finder's facet vocabulary lists the centres (search.facets keeps it in memory).
    post_save.connect(forget_facet_vocabulary, sender=OperationCentre, dispatch_uid="search.vocabulary_on_centre_save")
    post_delete.connect(
        forget_facet_vocabulary, sender=OperationCentre, dispatch_uid="search.vocabulary_on_centre_delete"
    )
