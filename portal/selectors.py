"""Reads of the roof: the platform's overview and an organisation's audit trail (which reads several apps)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext as _

from deals.models import Deal, DealEvent, Offer, OfferStatus
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import Organisation, OrganisationKind, Signatory, SignatoryEvent
from marketplace.organisations.selectors import is_organisation_admin, is_signatory
from payments.models import Payment, PaymentEvent, Refund, RoyaltyReport, SavedCard


@dataclass(frozen=True)
class PlatformOverview:
    centres: int
    organisations: int
    verified_organisations: int
    universities_and_institutes: int


def platform_overview() -> PlatformOverview:
    organisations = Organisation.objects.all()
    return PlatformOverview(
        centres=OperationCentre.objects.count(),
        organisations=organisations.count(),
        verified_organisations=organisations.filter(verified=True).count(),
        universities_and_institutes=organisations.filter(
            kind__in=[OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE]
        ).count(),
    )


# --- An organisation's audit trail: who did what with its money and signatures --------------------------------
#
# Built from the trails each app already keeps (signatory events, accepted offers, deal events and signatures,
# payment events, refunds, royalty reports, saved cards) as one UNION query of rows of the same shape, ordered by
# time in the database: a page of it costs the same whether the organisation has ten rows or a million.


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: object | None  # a user, or None for the platform (a gateway answer, a scheduled task)
    kind: str  # "<trail>.<what happened>", e.g. "payment.succeeded"
    action: str  # the kind in words
    subject: str
    url: str
    amount_fen: int | None
    note: str


_NO_AMOUNT = Value(None, output_field=BigIntegerField())
_NO_NOTE = Value("", output_field=TextField())
_AGREED_AMOUNT = ("upfront_fee_fen", "price_fen", "appraised_value_fen")


def _agreed_amount(prefix: str = ""):
    """The agreed sum of a term sheet: the upfront fee, the transfer price or the appraised value."""
    return Coalesce(*(F(f"{prefix}{name}") for name in _AGREED_AMOUNT), output_field=BigIntegerField())


def _rows(queryset, *, at: str, actor: str, kind, object_id: str, amount=_NO_AMOUNT, note=_NO_NOTE):
    """One trail as rows of the audit's shape (the columns of a UNION must agree in number, order and type)."""
    return queryset.order_by().values(
        audit_at=F(at),
        audit_actor=F(actor),
        audit_kind=kind,
        audit_object=F(object_id),
        audit_amount=amount,
        audit_note=note,
    )


def _kind(prefix: str, field: str):
    return Concat(Value(prefix), F(field), output_field=CharField())


def organisation_audit_rows(organisation: Organisation):
    """Every row of the organisation's audit trail, newest first, as dicts (audit_at, audit_actor, audit_kind,
    audit_object, audit_amount in fen, audit_note): a queryset, so that a page is a slice of it."""
    deals = Deal.objects.filter(Q(buyer=organisation) | Q(seller=organisation)).values("pk")
    trails = [
        _rows(
            SignatoryEvent.objects.filter(signatory__organisation=organisation),
            at="created_at",
            actor="actor_id",
            kind=_kind("signatory.", "to_status"),
            object_id="signatory_id",
            note=F("note"),
        ),
        _rows(
            Offer.objects.filter(status=OfferStatus.ACCEPTED, negotiation__buyer=organisation),
            at="buyer_accepted_at",
            actor="buyer_accepted_by_id",
            kind=Value("offer.accepted"),
            object_id="pk",
            amount=_agreed_amount(),
        ),
        _rows(
            Offer.objects.filter(status=OfferStatus.ACCEPTED, negotiation__listing__seller=organisation),
            at="seller_accepted_at",
            actor="seller_accepted_by_id",
            kind=Value("offer.accepted"),
            object_id="pk",
            amount=_agreed_amount(),
        ),
        _rows(
            Deal.objects.filter(buyer=organisation, buyer_signed_at__isnull=False),
            at="buyer_signed_at",
            actor="buyer_signed_by_id",
            kind=Value("deal.signed"),
            object_id="pk",
            amount=_agreed_amount("offer__"),
        ),
        _rows(
            Deal.objects.filter(seller=organisation, seller_signed_at__isnull=False),
            at="seller_signed_at",
            actor="seller_signed_by_id",
            kind=Value("deal.signed"),
            object_id="pk",
            amount=_agreed_amount("offer__"),
        ),
        _rows(
            DealEvent.objects.filter(deal__in=deals),
            at="created_at",
            actor="actor_id",
            kind=_kind("deal.", "to_status"),
            object_id="deal_id",
            note=F("note"),
        ),
        _rows(
            PaymentEvent.objects.filter(payment__instalment__deal__in=deals),
            at="created_at",
            actor="actor_id",
            kind=_kind("payment.", "to_status"),
            object_id="payment_id",
            amount=F("payment__amount_fen"),
            note=F("note"),
        ),
        _rows(
            Refund.objects.filter(payment__instalment__deal__in=deals),
            at="created_at",
            actor="created_by_id",
            kind=_kind("refund.", "status"),
            object_id="pk",
            amount=F("amount_fen"),
            note=F("reason"),
        ),
        _rows(
            RoyaltyReport.objects.filter(deal__in=deals),
            at="created_at",
            actor="reported_by_id",
            kind=Value("royalty.reported"),
            object_id="pk",
            amount=F("royalty_fen"),
        ),
        _rows(
            SavedCard.objects.filter(organisation=organisation),
            at="created_at",
            actor="created_by_id",
            kind=Value("card.saved"),
            object_id="pk",
        ),
    ]
    first, *rest = trails
    return first.union(*rest, all=True).order_by("-audit_at", "-audit_object")


def may_see_organisation_audit(user, organisation: Organisation) -> bool:
    """Its administrators and signatories, staff of its operation centre (or a centre above), root staff."""
    if user is None or not user.is_authenticated:
        return False
    return (
        staff_scope(user).covers(organisation.centre_id)
        or is_organisation_admin(user, organisation)
        or is_signatory(user, organisation)
    )


def _action_labels() -> dict[str, str]:
    return {
        "signatory.nominated": _("Signatory nominated"),
        "signatory.verified": _("Signatory verified"),
        "signatory.refused": _("Signatory nomination refused"),
        "signatory.revoked": _("Signatory revoked"),
        "offer.accepted": _("Terms accepted"),
        "deal.signed": _("Contract signed for the organisation"),
        "deal.agreed": _("Deal agreed"),
        "deal.contract_signed": _("Contract signed by both parties"),
        "deal.registered": _("Contract registered"),
        "deal.settled": _("Deal settled"),
        "deal.completed": _("Deal completed"),
        "deal.cancelled": _("Deal cancelled"),
        "payment.pending": _("Card payment started"),
        "payment.requires_action": _("Card payment awaits the payer's bank"),
        "payment.processing": _("Payment processing"),
        "payment.declared": _("Bank transfer announced"),
        "payment.awaiting_confirmation": _("Bank transfer recorded by a broker"),
        "payment.succeeded": _("Payment received"),
        "payment.surplus": _("Payment received for an amount already paid (surplus)"),
        "payment.failed": _("Payment failed or turned down"),
        "payment.cancelled": _("Payment cancelled"),
        "refund.pending": _("Refund requested"),
        "refund.succeeded": _("Refund issued"),
        "refund.failed": _("Refund failed"),
        "royalty.reported": _("Sales reported: royalty due"),
        "card.saved": _("Card kept for later payments"),
    }


def organisation_audit_entries(rows) -> list[AuditEntry]:
    """The rows of one page as entries a person reads: who, what, on which deal, how much. The objects they name
    are loaded in one query per trail."""
    rows = list(rows)
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row["audit_kind"].partition(".")[0], set()).add(row["audit_object"])
    actors = get_user_model().objects.in_bulk({row["audit_actor"] for row in rows if row["audit_actor"] is not None})
    found = {
        "signatory": Signatory.objects.select_related("user").in_bulk(wanted.get("signatory", ())),
        "offer": Offer.objects.select_related("negotiation__deal__listing").in_bulk(wanted.get("offer", ())),
        "deal": Deal.objects.select_related("listing").in_bulk(wanted.get("deal", ())),
        "payment": Payment.objects.select_related("instalment__deal__listing").in_bulk(wanted.get("payment", ())),
        "refund": Refund.objects.select_related("payment__instalment__deal__listing").in_bulk(wanted.get("refund", ())),
        "royalty": RoyaltyReport.objects.select_related("deal__listing").in_bulk(wanted.get("royalty", ())),
        "card": SavedCard.objects.in_bulk(wanted.get("card", ())),
    }
    labels = _action_labels()
    entries = []
    for row in rows:
        kind = row["audit_kind"]
        trail = kind.partition(".")[0]
        subject, url = _subject(trail, found[trail].get(row["audit_object"]))
        entries.append(
            AuditEntry(
                at=row["audit_at"],
                actor=actors.get(row["audit_actor"]),
                kind=kind,
                action=str(labels.get(kind, kind)),
                subject=subject,
                url=url,
                amount_fen=row["audit_amount"],
                note=row["audit_note"] or "",
            )
        )
    return entries


def _deal_subject(deal) -> tuple[str, str]:
    if deal is None:
        return "", ""
    return _("Deal #%(id)s · %(title)s") % {"id": deal.pk, "title": deal.listing.title}, f"/deals/{deal.pk}/"


def _subject(trail: str, item) -> tuple[str, str]:
    if item is None:
        return "", ""
    if trail == "signatory":
        return f"{item.user} · {item.get_capacity_display()}", f"/organisations/{item.organisation_id}/#signatories"
    if trail == "offer":
        deal = getattr(item.negotiation, "deal", None)
        text, url = _deal_subject(deal)
        version = _("version %(version)s") % {"version": item.version}
        return (f"{text} · {version}" if text else version), url or f"/deals/negotiations/{item.negotiation_id}/"
    if trail == "deal":
        return _deal_subject(item)
    if trail == "payment":
        text, url = _deal_subject(item.instalment.deal)
        return f"{text} · {item.get_method_display()}", f"/payments/deals/{item.instalment.deal_id}/"
    if trail == "refund":
        text, _url = _deal_subject(item.payment.instalment.deal)
        return text, f"/payments/deals/{item.payment.instalment.deal_id}/"
    if trail == "royalty":
        text, _url = _deal_subject(item.deal)
        period = f"{item.period_start:%Y-%m-%d}–{item.period_end:%Y-%m-%d}"
        return f"{text} · {period}", f"/payments/deals/{item.deal_id}/"
    return f"{item.brand} •••• {item.last4}", ""
