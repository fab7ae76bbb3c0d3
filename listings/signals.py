"""What the listings app announces. Other apps (search, notifications) listen; listings imports none of them.

Each signal is sent inside the transaction that made the change; receivers that act outside the database
(indexing, sockets, mail) register `transaction.on_commit` themselves.
"""

from django.dispatch import Signal

# sender=Listing, listing=<Listing>: it is now on the market.
listing_published = Signal()
# sender=Listing, listing=<Listing>: a published listing's content changed.
listing_changed = Signal()
# sender=Listing, listing=<Listing>, status=<new status>: it left the market
# (paused, closed, withdrawn or expired).
listing_closed = Signal()
