"""The indicators ledger: an append-only record of what completed deals and licence payments add to the
province's technology-market figures (技术市场成交额, 知识产权许可使用金额), and the targets they are measured against.

Three tables:

- `LedgerEntry`, the truth. One row per booking, never edited or deleted; a cancellation or a refund is a new
  row with the opposite sign. `source_key` is unique: the database itself refuses to book one event twice.
- `LedgerRollup`, a derived table the dashboard reads: sums per month, indicator and one dimension value, with
  the "1+X" roll-up done at booking time. Maintained in the same transaction as each entry; it can always be
  recomputed from the ledger (`manage.py indicators_verify --rebuild-rollup`).
- `IndicatorTarget`, the targets per year, province-wide or per centre; the plan's figures for 2020
  (`PLAN_TARGETS`) are the defaults for that year.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from deals.models import Deal
from listings.models import Mode
from marketplace.centres.models import OperationCentre
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind


class Indicator(models.TextChoices):
    TURNOVER = "turnover", _("Technology-market turnover")
    LICENSING_CONTRACTED = "licensing_contracted", _("Licensing revenue (contracted)")
    LICENSING_RECEIVED = "licensing_received", _("Licensing revenue (received)")


# The plan's targets for 2020 (浙江省知识产权发展规划 2016-2020, section 二(三)): 220 亿元 turnover, 5 亿元 licensing.
# Province-wide, for 2020 only (shown as history on later years); IndicatorTarget rows override them.
PLAN_TARGETS: dict[tuple[str, int], int] = {
    (Indicator.TURNOVER, 2020): 22_000_000_000 * 100,
    (Indicator.LICENSING_CONTRACTED, 2020): 500_000_000 * 100,
}

# The platform's own fee is not licensing revenue (payments.models.InstalmentKind.SERVICE_FEE).
SERVICE_FEE_KIND = "service_fee"


class LedgerImmutableError(Exception):
    """Raised on any attempt to edit or delete a ledger entry: book a reversal instead."""


def path_text(centre_ids: list[int]) -> str:
    """[1, 4, 9] (root first) -> '/1/4/9/'. The slashes on both ends make '/4/' match only centre 4."""
    return "/" + "".join(f"{centre_id}/" for centre_id in centre_ids)


def path_ids(text: str) -> list[int]:
    return [int(part) for part in text.strip("/").split("/") if part]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def deals_delta(indicator: str, is_reversal: bool) -> int:
    """How an entry changes the count of completed deals: a completion's turnover adds one, its reversal
    takes it away; licensing entries ride along with the same deal and count nothing."""
    if indicator != Indicator.TURNOVER:
        return 0
    return -1 if is_reversal else 1


def completion_indicators(mode: str) -> list[str]:
    """What a completed deal books: turnover for every mode; licensing revenue (contracted) for a licence."""
    if mode == Mode.LICENCE:
        return [Indicator.TURNOVER, Indicator.LICENSING_CONTRACTED]
    return [Indicator.TURNOVER]


# Source keys name the event an entry books; their uniqueness is what makes booking exactly-once.
def completion_key(deal_id: int, indicator: str) -> str:
    return f"deal:{deal_id}:{indicator}"


def reversal_key(original_key: str) -> str:
    return f"{original_key}:reversal"


def payment_key(payment_id: int) -> str:
    return f"payment:{payment_id}:received"


def refund_key(refund_id: int) -> str:
    return f"refund:{refund_id}:received"


class LedgerEntryQuerySet(models.QuerySet):
    # Bulk writes bypass save() and delete(); refuse them here too.
    def update(self, **kwargs):
        raise LedgerImmutableError("Ledger entries are never edited; book a reversal instead.")

    def delete(self):
        raise LedgerImmutableError("Ledger entries are never deleted; book a reversal instead.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerImmutableError("Ledger entries are never edited; book a reversal instead.")


class LedgerEntry(models.Model):
    """One booking: an amount added to (or, reversed, taken from) one indicator, with the deal's dimensions
    copied as they were at booking time so that published figures never change when a seller or the "1+X" tree
    does. Only services.py writes rows; nothing ever edits or deletes one."""

    # "deal:42:turnover", "deal:42:turnover:reversal", "payment:17:received", "refund:5:received".
    source_key = models.CharField(_("source"), max_length=80, unique=True)
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    is_reversal = models.BooleanField(_("reversal"), default=False)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    # 技术交易额 beside the contract total, on turnover entries only.
    technology_amount_fen = models.BigIntegerField(_("technology transaction amount (fen)"), default=0)
    booked_on = models.DateField(_("booked on"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    quarter = models.PositiveSmallIntegerField(_("quarter"), editable=False)
    month = models.PositiveSmallIntegerField(_("month"), editable=False)
    # The seller's city: technology-market statistics count a contract where the technology comes from.
    city = models.CharField(_("city"), max_length=20, choices=City.choices, blank=True)
    centre = models.ForeignKey(
        OperationCentre, verbose_name=_("operation centre"), on_delete=models.PROTECT, related_name="+"
    )
    # The hosting centre and its ancestors at booking time, root first ('/1/4/9/'): see path_text.
    centre_path = models.CharField(_("centre path"), max_length=200)
    seller_kind = models.CharField(_("seller type"), max_length=20, choices=OrganisationKind.choices)
    ipc_section = models.CharField(_("IPC section"), max_length=1, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            # The ledger is read directly only for slices the rollup does not hold (a city, a seller type, a
            # field or a mode as a filter), for the drill-down and for verification.
            models.Index(fields=["year", "indicator"], name="ledger_year_indicator"),
            models.Index(fields=["city", "year"], name="ledger_city_year"),
            models.Index(fields=["seller_kind", "year"], name="ledger_seller_kind_year"),
            models.Index(fields=["ipc_section", "year"], name="ledger_ipc_section_year"),
            models.Index(fields=["mode", "year"], name="ledger_mode_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_reversal=False, amount_fen__gte=0, technology_amount_fen__gte=0)
                | Q(is_reversal=True, amount_fen__lte=0, technology_amount_fen__lte=0),
                name="ledger_sign_follows_reversal",
            ),
            models.CheckConstraint(
                condition=Q(indicator=Indicator.TURNOVER) | Q(technology_amount_fen=0),
                name="ledger_technology_amount_on_turnover_only",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12) & Q(quarter=(F("month") + 2) / 3),
                name="ledger_quarter_matches_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_key} {self.amount_fen}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("Ledger entries are never edited; book a reversal instead.")
        self.year, self.month = self.booked_on.year, self.booked_on.month
        self.quarter = quarter_of(self.month)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("Ledger entries are never deleted; book a reversal instead.")


class RollupDimension(models.TextChoices):
    ALL = "all", _("All")
    CITY = "city", _("City")
    CENTRE = "centre", _("Operation centre")
    SELLER_KIND = "seller_kind", _("Seller type")
    IPC_SECTION = "ipc_section", _("Technology field")
    MODE = "mode", _("Mode")


# Scope 0 is the whole province; any other scope is a centre and everything booked below it.
PROVINCE = 0


RollupKey = tuple[int, str, str]  # (scope, dimension, value)


def rollup_keys(*, centre_path: str, city: str, seller_kind: str, ipc_section: str, mode: str) -> list[RollupKey]:
    """Every (scope, dimension, value) an entry with these dimensions adds to.

    Scopes are the province and each centre on the booked path. Within a scope the entry counts once under
    "all", once under each of its dimension values, and once under every centre at or below the scope on its
    path: that last part is the "1+X" roll-up, so the province's and an ancestor's by-centre figures include
    the sub-centres'.
    """
    path = path_ids(centre_path)
    # str(): plain strings, whether the caller holds TextChoices members or values read from the database.
    city, seller_kind, ipc_section, mode = str(city), str(seller_kind), str(ipc_section), str(mode)
    keys: list[RollupKey] = []
    for position, scope in enumerate([PROVINCE, *path]):
        keys.append((scope, RollupDimension.ALL.value, ""))
        keys.append((scope, RollupDimension.CITY.value, city))
        keys.append((scope, RollupDimension.SELLER_KIND.value, seller_kind))
        keys.append((scope, RollupDimension.IPC_SECTION.value, ipc_section))
        keys.append((scope, RollupDimension.MODE.value, mode))
        at_or_below = path if scope == PROVINCE else path[position - 1 :]
        keys.extend((scope, RollupDimension.CENTRE.value, str(centre_id)) for centre_id in at_or_below)
    return keys


# A rollup row's key, in the order of the key tuples the services and selectors use, and the sums it holds.
ROLLUP_KEY = ("scope", "dimension", "value", "year", "month", "indicator")
ROLLUP_SUMMED = ("amount_fen", "technology_amount_fen", "deals", "entries")


class LedgerRollup(models.Model):
    """Sums of the ledger per (scope, dimension, value, month, indicator).

    For each entry, `services.rollup_keys` lists the rows it adds to: for the province and for every centre on
    its booked path, one row per dimension ("all", its city, seller type, field, mode) and one per centre at or
    below that scope on the path. A sub-centre's figures therefore add into its ancestors' at booking time, and
    every dashboard figure is a lookup of a few hundred rows at most, whatever the size of the ledger. A row per
    ancestor here costs a few dozen rows per month; a row per ancestor beside each entry would have multiplied
    the rows every query scans by the depth of the tree.
    """

    scope = models.PositiveIntegerField(_("scope"))
    dimension = models.CharField(_("dimension"), max_length=20, choices=RollupDimension.choices)
    value = models.CharField(_("value"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    month = models.PositiveSmallIntegerField(_("month"))
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    amount_fen = models.BigIntegerField(default=0)
    technology_amount_fen = models.BigIntegerField(default=0)
    deals = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger rollup")
        verbose_name_plural = _("ledger rollups")
        constraints = [
            # The upsert's conflict target (services._rollup_add): keep the two in step.
            models.UniqueConstraint(
                fields=["scope", "dimension", "year", "month", "indicator", "value"], name="ledger_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.dimension}={self.value} {self.year}-{self.month:02d} {self.indicator}"


class IndicatorTarget(models.Model):
    """A target for one indicator in one year, province-wide (no centre) or for one operation centre and the
    centres below it. Progress is measured against the target of the same year only: a year without one shows
    none (an old target carried forward would make any year look on or off track)."""

    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    centre = models.ForeignKey(
        OperationCentre,
        verbose_name=_("operation centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a province-wide target."),
    )
    amount_fen = models.BigIntegerField(_("target (fen)"))
    note = models.CharField(_("source"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(centre__isnull=True), name="indicator_target_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "centre"],
                condition=Q(centre__isnull=False),
                name="indicator_target_unique_per_centre",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="indicator_target_positive"),
        ]

    def __str__(self) -> str:
        where = self.centre.name if self.centre_id else _("province-wide")
        return f"{self.get_indicator_display()} {self.year} ({where})"


def solved_demand_key(demand_id: int) -> str:
    return f"demand:{demand_id}:solved"


class SolvedDemand(models.Model):
    """One technology demand closed as solved, booked for the "demands solved" figure: append-only like the ledger,
    with the hosting centre's path copied at booking time so that a later change of the "1+X" tree does not move
    published figures. The demands app (newer than this one) books through services.solved_demand_book; this app
    knows a demand only by its id and never imports demands."""

    source_key = models.CharField(_("source"), max_length=80, unique=True)
    demand_id = models.PositiveBigIntegerField(_("demand"))
    deal = models.ForeignKey(
        Deal, verbose_name=_("deal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        OperationCentre, verbose_name=_("operation centre"), on_delete=models.PROTECT, related_name="+"
    )
    centre_path = models.CharField(_("centre path"), max_length=200)
    booked_on = models.DateField(_("solved on"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    quarter = models.PositiveSmallIntegerField(_("quarter"), editable=False)
    month = models.PositiveSmallIntegerField(_("month"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("solved demand")
        verbose_name_plural = _("solved demands")
        indexes = [models.Index(fields=["year", "month"], name="solved_demand_period")]

    def __str__(self) -> str:
        return self.source_key

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("Solved demands are booked once and never edited.")
        self.year, self.month = self.booked_on.year, self.booked_on.month
        self.quarter = quarter_of(self.month)
        super().save(*args, **kwargs)
