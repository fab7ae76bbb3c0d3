"""What deals announce. The indicators app listens; nothing in deals imports indicators or payments."""

from django.dispatch import Signal

# sender=Deal, deal=<Deal>: the deal completed; book it exactly once.
deal_completed = Signal()
# sender=Deal, deal=<Deal>, reason=<str>: a completed deal was cancelled or refunded; book the reversal.
deal_reversed = Signal()
# sender=Deal, deal=<Deal>: a new deal was agreed (payments builds its schedule from the accepted terms).
deal_agreed = Signal()
# sender=Deal, deal=<Deal>, from_status=<str>, to_status=<str>: every lifecycle move (payments settles a deal
# with nothing fixed to pay as soon as its contract is signed).
deal_status_changed = Signal()
# sender=Negotiation, negotiation=<Negotiation>, from_status=<str>, to_status=<str>: every move of a negotiation,
# after its event is in the room's history (same transaction).
negotiation_status_changed = Signal()
# sender=Offer, offer=<Offer>, from_status=<str>, to_status=<str>: every move of a version of a term sheet.
offer_status_changed = Signal()
