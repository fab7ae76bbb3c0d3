"""A deal's schedule: what the buyer owes, derived from the accepted terms, and royalties from sales reports."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal
from listings.models import Mode
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, require_signatory
from payments.models import Instalment, InstalmentKind, RoyaltyReport
from payments.services.common import PAYABLE_DEAL_STATES, PAYMENT_TERM_DAYS


def split_evenly(total_fen: int, parts: int) -> list[int]:
    """Split an amount into `parts` instalments of whole fen; the last one absorbs the remainder."""
    parts = max(1, parts)
    base = total_fen // parts
    return [base] * (parts - 1) + [total_fen - base * (parts - 1)]


def service_fee_fen(fixed_total_fen: int) -> int:
    basis_points = settings.PLATFORM_SERVICE_FEE_BASIS_POINTS
    fee = (Decimal(fixed_total_fen) * basis_points / Decimal(10_000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(fee)


@transaction.atomic
def schedule_build(*, deal: Deal, today: date | None = None) -> list[Instalment]:
    """Derive what the buyer owes from the accepted terms. Idempotent: a deal's schedule is built once."""
    # A deposit credited to the deal (it may come first) is not part of the schedule built from the terms.
    existing = list(deal.instalments.exclude(kind=InstalmentKind.DEPOSIT))
    if existing:
        return existing
    today = today or timezone.localdate()
    offer = deal.offer
    rows: list[Instalment] = []
    if deal.mode == Mode.LICENCE and offer.upfront_fee_fen:
        rows.append(Instalment(deal=deal, kind=InstalmentKind.UPFRONT, amount_fen=offer.upfront_fee_fen))
    elif deal.mode == Mode.TRANSFER and offer.price_fen:
        for index, amount in enumerate(split_evenly(offer.price_fen, offer.instalments or 1), start=1):
            rows.append(Instalment(deal=deal, kind=InstalmentKind.INSTALMENT, sequence=index, amount_fen=amount))
    fixed_total = sum(row.amount_fen for row in rows)
    fee = service_fee_fen(fixed_total)
    if fee > 0:
        rows.append(Instalment(deal=deal, kind=InstalmentKind.SERVICE_FEE, amount_fen=fee))
    for index, row in enumerate(rows):
        # Instalments of a transfer fall due a month apart; everything else within the payment term.
        row.due_date = today + timedelta(
            days=PAYMENT_TERM_DAYS * (max(index, 0) + 1 if row.kind == "instalment" else 1)
        )
        row.full_clean(exclude=["royalty_report"])
    return Instalment.objects.bulk_create(rows)


def royalty_due_fen(
    *, sales_fen: int, rate_percent: Decimal | None, minimum_annual_fen: int | None, months: int
) -> int:
    royalty = (Decimal(sales_fen) * (rate_percent or 0) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    minimum = (Decimal(minimum_annual_fen or 0) * months / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(max(royalty, minimum))


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


@transaction.atomic
def royalty_report_submit(*, deal: Deal, actor, period_start: date, period_end: date, sales_fen: int) -> RoyaltyReport:
    """A signatory of the licensee reports its sales for a period (a declaration that makes money due); the
    royalty falls due from the agreed rate and minimum."""
    if deal.buyer_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the licensee reports its sales."))
    require_signatory(actor, deal.buyer, BindingAct.PAY)
    if deal.mode != Mode.LICENCE or not (deal.offer.royalty_rate or deal.offer.minimum_annual_royalty_fen):
        raise ValidationError(_("This deal has no royalty."))
    if deal.status not in PAYABLE_DEAL_STATES:
        raise ValidationError(_("Royalties are reported once the contract is signed."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if period_end > timezone.localdate():
        # Sales are known once the period is over; a far-future end would also overflow the due date below.
        raise ValidationError(_("The period has not ended yet: report its sales once it has."))
    if sales_fen < 0:
        raise ValidationError(_("Sales cannot be negative."))
    if RoyaltyReport.objects.filter(deal=deal, period_start=period_start).exists():
        raise ValidationError(_("Sales for this period have already been reported."))
    royalty = royalty_due_fen(
        sales_fen=sales_fen,
        rate_percent=deal.offer.royalty_rate,
        minimum_annual_fen=deal.offer.minimum_annual_royalty_fen,
        months=_months(period_start, period_end),
    )
    report = RoyaltyReport(
        deal=deal,
        period_start=period_start,
        period_end=period_end,
        sales_fen=sales_fen,
        royalty_fen=royalty,
        reported_by=actor,
    )
    report.full_clean(exclude=["deal", "reported_by"])
    report.save()
    if royalty > 0:
        sequence = deal.instalments.filter(kind=InstalmentKind.ROYALTY).count() + 1
        instalment = Instalment(
            deal=deal,
            kind=InstalmentKind.ROYALTY,
            sequence=sequence,
            amount_fen=royalty,
            due_date=period_end + timedelta(days=PAYMENT_TERM_DAYS),
            royalty_report=report,
        )
        instalment.full_clean(exclude=["deal", "royalty_report"])
        instalment.save()
    return report
