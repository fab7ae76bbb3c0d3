from django.contrib import admin

from auctions.models import AuctionRound, Bid, CentreAuctionRules, Deposit, RoundEvent


@admin.register(CentreAuctionRules)
class CentreAuctionRulesAdmin(admin.ModelAdmin):
    """Where a centre's administrators set the announcement period and the one-bidder rule of their rounds."""

    list_display = ["centre", "min_announcement_days", "one_bidder_rule"]
    raw_id_fields = ["centre"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BidInline(ReadOnlyInline):
    model = Bid
    fields = ["sequence", "bidder", "placed_by", "amount_fen", "placed_at"]
    readonly_fields = fields


class DepositInline(ReadOnlyInline):
    model = Deposit
    fields = ["pseudonym_index", "organisation", "status", "paid_at", "settled_at"]
    readonly_fields = fields


class RoundEventInline(ReadOnlyInline):
    model = RoundEvent
    fields = ["kind", "actor", "note", "created_at"]
    readonly_fields = fields


@admin.register(AuctionRound)
class AuctionRoundAdmin(admin.ModelAdmin):
    """Read-only: rounds are opened, bid on and closed through auctions.services, whose rules a form here would
    bypass."""

    list_display = ["listing", "mode", "status", "start_price_fen", "price_fen", "bid_count", "ends_at"]
    list_filter = ["status", "mode", "centre"]
    inlines = [DepositInline, BidInline, RoundEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
