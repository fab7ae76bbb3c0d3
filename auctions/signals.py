"""What the auctions app announces."""

from django.dispatch import Signal

# sender=AuctionRound, round=<AuctionRound>, deposit_ids=<list of Deposit ids>: these deposits are to be returned
# (the round is over and they are not the winner's); sent inside the transaction that decided it.
deposits_released = Signal()
