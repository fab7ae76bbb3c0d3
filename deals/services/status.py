"""The state machines of negotiations and of the versions of their term sheets: which moves are allowed, and the
one service for each that makes them. (A deal's own machine is in deals.services.deals.)"""

from deals.models import MessageKind, Negotiation, NegotiationStatus, Offer, OfferStatus
from deals.services.rooms import room_post
from deals.signals import negotiation_status_changed, offer_status_changed
from marketplace.core.states import status_move

N, OS = NegotiationStatus, OfferStatus

# A negotiation is open until it ends, one way or another, for good: a new enquiry opens a new one.
NEGOTIATION_TRANSITIONS: dict[str, frozenset[str]] = {
    N.OPEN: frozenset({N.AGREED, N.PASSED, N.DECLINED, N.SUPERSEDED}),
}
# Only the version on the table moves, once: accepted, rejected, withdrawn, or superseded by a later version.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OS.PROPOSED: frozenset({OS.ACCEPTED, OS.REJECTED, OS.WITHDRAWN, OS.SUPERSEDED}),
}


def offer_set_status(*, offer: Offer, to_status: str, **changes) -> Offer:
    """Move a version of the term sheet (with the field changes that go with it) and announce it. Refuses any move
    the table above does not allow. Call it holding the offer's row lock, or its negotiation's."""
    from_status = status_move(
        offer, OFFER_TRANSITIONS, to_status, not_validated=("negotiation", "proposed_by"), **changes
    )
    offer_status_changed.send(sender=Offer, offer=offer, from_status=from_status, to_status=to_status)
    return offer


def offers_on_the_table_set_status(*, negotiation: Negotiation, to_status: str) -> None:
    """The version still proposed (there is at most one) leaves the table: superseded or withdrawn."""
    for offer in negotiation.offers.select_for_update().filter(status=OS.PROPOSED):
        offer_set_status(offer=offer, to_status=to_status)


def negotiation_set_status(
    *, negotiation: Negotiation, to_status: str, actor, side: str, event: str, offer: Offer | None = None, **changes
) -> Negotiation:
    """Move a negotiation (with the field changes that go with it): a version still on the table is withdrawn,
    the move is written into the room's history (`event`, by `actor` for `side`, about `offer`: the negotiation's
    audit trail) and announced. Refuses any move the table above does not allow. Call it holding the
    negotiation's row lock."""
    from_status = status_move(
        negotiation,
        NEGOTIATION_TRANSITIONS,
        to_status,
        not_validated=("listing", "buyer", "opened_by", "broker"),
        **changes,
    )
    offers_on_the_table_set_status(negotiation=negotiation, to_status=OS.WITHDRAWN)
    room_post(negotiation, author=actor, side=side, kind=MessageKind.EVENT, body=event, offer=offer)
    negotiation_status_changed.send(
        sender=Negotiation, negotiation=negotiation, from_status=from_status, to_status=to_status
    )
    return negotiation
