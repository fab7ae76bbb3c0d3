"""What makes the stored public pages stale (marketplace.core.pagecache): any change to what an anonymous visitor
of the home page, the finder, a listing's page, the demands' pages or a CMS page sees. The portal listens because it
is the one layer that may know every app; the apps announce their changes and know nothing of the cache.

Each receiver only moves the cache's generation on (one cache increment, now and after commit), so it runs inline;
nothing here is slow enough for the task runner. Listings are saved through services a few times a day, so
forgetting every stored page on any listing save (a draft's too) costs little and misses nothing.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from demands.models import Demand
from demands.signals import demand_changed, demand_closed, demand_published
from listings.models import Listing, ListingAttachment, ListingBenefit, ListingPatent, ListingTerms, Patent
from listings.signals import listing_changed, listing_closed, listing_published
from marketplace.centres.models import OperationCentre
from marketplace.core.pagecache import invalidate_public_pages
from marketplace.organisations.models import Organisation

# Rows whose saves and deletions change what a public page shows: listings and what they are made of, the sellers
# named on them, the "1+X" centres (footer, network, hosting centre), and technology demands.
MODELS_ON_PUBLIC_PAGES = (
    Demand,
    Listing,
    ListingTerms,
    ListingBenefit,
    ListingAttachment,
    ListingPatent,
    Patent,
    Organisation,
    OperationCentre,
)


def public_content_changed(sender, **kwargs) -> None:
    invalidate_public_pages()


def connect() -> None:
    for model in MODELS_ON_PUBLIC_PAGES:
        name = model._meta.label_lower
        post_save.connect(public_content_changed, sender=model, dispatch_uid=f"pagecache_saved_{name}")
        post_delete.connect(public_content_changed, sender=model, dispatch_uid=f"pagecache_deleted_{name}")
    # Status changes made with queryset.update() send no post_save; the services announce them.
    for signal, name in ((listing_published, "published"), (listing_changed, "changed"), (listing_closed, "closed")):
        signal.connect(public_content_changed, dispatch_uid=f"pagecache_listing_{name}")
    for signal, name in ((demand_published, "published"), (demand_changed, "changed"), (demand_closed, "closed")):
        signal.connect(public_content_changed, dispatch_uid=f"pagecache_demand_{name}")
    # Wagtail pages: what is live changes on publish, unpublish, move and deletion.
    page_published.connect(public_content_changed, dispatch_uid="pagecache_page_published")
    page_unpublished.connect(public_content_changed, dispatch_uid="pagecache_page_unpublished")
    post_page_move.connect(public_content_changed, dispatch_uid="pagecache_page_moved")
    post_delete.connect(public_content_changed, sender=Page, dispatch_uid="pagecache_page_deleted")
