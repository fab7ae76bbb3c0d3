"""What a centre requires of its rounds: the settings' defaults unless the centre set its own."""

from dataclasses import dataclass

from django.conf import settings

from auctions.models import CentreAuctionRules


@dataclass(frozen=True)
class RoundRules:
    min_announcement_days: int
    one_bidder_rule: str


def rules_for(centre_id: int) -> RoundRules:
    own = CentreAuctionRules.objects.filter(centre_id=centre_id).first()
    if own is not None:
        return RoundRules(own.min_announcement_days, own.one_bidder_rule)
    return RoundRules(settings.AUCTION_MIN_ANNOUNCEMENT_DAYS, settings.AUCTION_ONE_BIDDER_RULE)
