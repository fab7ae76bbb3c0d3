"""Keep the index following the listings: every announced change is written to the index outbox in the
transaction that made it, and the task runner brings the index up to date once it commits (`search.services`).
A publication also owes the saved-search alerts, sent by the runner once the listing is in the index. A centre
saved or deleted makes the finder read its facet vocabulary again. A person's saved searches go into the copy of
their data, and are deleted when they close their account."""

from django.db.models.signals import post_delete, post_save

from listings.signals import listing_changed, listing_closed, listing_published
from marketplace.accounts.signals import account_closing, personal_data_requested
from marketplace.centres.models import OperationCentre
from search.alerts import saved_searches_forget, saved_searches_personal_data
from search.facets import forget_facet_vocabulary
from search.services import index_outbox_queue
from search.signals import alert_digest_due
from search.tasks import drain_soon_after_commit, mail_alert_digest


def queue_reindex(sender, listing, **kwargs) -> None:
    index_outbox_queue(listing_id=listing.pk)
    drain_soon_after_commit()


def queue_reindex_and_alerts(sender, listing, **kwargs) -> None:
    index_outbox_queue(listing_id=listing.pk, alert=True)
    drain_soon_after_commit()


def mail_digest(sender, hit_ids, **kwargs) -> None:
    mail_alert_digest.enqueue(hit_ids=hit_ids)


def personal_data(sender, user, **kwargs):
    return saved_searches_personal_data(user)


def forget_saved_searches(sender, user, **kwargs) -> None:
    saved_searches_forget(user=user)


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
    alert_digest_due.connect(mail_digest, dispatch_uid="search.mail_digest")
    # A person's saved searches: in the copy of their data, and gone with their account (marketplace.accounts).
    personal_data_requested.connect(personal_data, dispatch_uid="search.personal_data")
    account_closing.connect(forget_saved_searches, dispatch_uid="search.forget_on_account_closing")
