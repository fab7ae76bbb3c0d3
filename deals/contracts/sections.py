"""What the contract says, section by section: parties, patents, subject, accepted terms, payment, term and
territory, registration and confirmation. Money is formatted from fen, with the capital numerals of Chinese
contracts."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext

from deals.models import (
    ContractRegistration,
    ContractType,
    Deal,
    Offer,
    PaymentMode,
    ShareRegistration,
)
from deals.templatetags.deal_tags import format_yuan, yuan_in_capitals
from listings.models import LicenceType, Mode, Patent


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Contract:
    title: str
    reference: str
    sections: tuple[Section, ...]

    @property
    def filename(self) -> str:
        return f"contract-{self.reference}.pdf"


def contract_reference(deal: Deal) -> str:
    return f"DEAL-{deal.created_at:%Y}-{deal.pk:06d}"


def contract_total_fen(offer: Offer) -> int | None:
    """The contract's total as agreed: the upfront fee, the transfer price or the appraised value. None for a
    royalty-only or free licence, whose total is only known once royalties are reported."""
    for amount in (offer.upfront_fee_fen, offer.price_fen, offer.appraised_value_fen):
        if amount:
            return amount
    return None


def _money(fen: int) -> str:
    return f"{format_yuan(fen)} ({yuan_in_capitals(fen)})"


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f} %"


def _years(count: int) -> str:
    return ngettext("%(count)d year", "%(count)d years", count) % {"count": count}


def _moment(value: datetime | None) -> str:
    if value is None:
        return gettext("Not yet confirmed")
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _signature(moment: datetime | None, signer) -> str:
    """When a party confirmed, and the signatory who confirmed for it (recorded since signatories exist)."""
    if moment is None or signer is None:
        return _moment(moment)
    return gettext("%(moment)s, by %(person)s") % {"moment": _moment(moment), "person": signer}


def accepted_terms(offer: Offer) -> tuple[Row, ...]:
    """Every term of the accepted version that was set, in the order of the term sheet (also shown on the deal
    page). Money is formatted from fen, never through a float."""
    rows: list[Row] = []
    if offer.licence_type:
        rows.append(Row(gettext("Licence type"), str(LicenceType(offer.licence_type).label)))
    if offer.territory:
        rows.append(Row(gettext("Territory"), offer.territory))
    if offer.field_of_use:
        rows.append(Row(gettext("Field of use"), offer.field_of_use))
    if offer.term_years:
        rows.append(Row(pgettext("duration", "Term"), _years(offer.term_years)))
    if offer.payment_mode:
        rows.append(Row(gettext("Payment mode"), str(PaymentMode(offer.payment_mode).label)))
    if offer.upfront_fee_fen is not None:
        rows.append(Row(gettext("Upfront fee"), _money(offer.upfront_fee_fen)))
    if offer.royalty_rate is not None:
        rows.append(Row(gettext("Royalty rate"), _percent(offer.royalty_rate)))
    if offer.minimum_annual_royalty_fen is not None:
        rows.append(Row(gettext("Minimum annual royalty"), _money(offer.minimum_annual_royalty_fen)))
    if offer.price_fen is not None:
        rows.append(Row(gettext("Transfer price"), _money(offer.price_fen)))
    if offer.instalments:
        rows.append(Row(gettext("Instalments"), str(offer.instalments)))
    if offer.appraised_value_fen is not None:
        rows.append(Row(gettext("Appraised value"), _money(offer.appraised_value_fen)))
    if offer.share_percent is not None:
        rows.append(Row(gettext("Share"), _percent(offer.share_percent)))
    if offer.receiving_company:
        rows.append(Row(gettext("Receiving company"), offer.receiving_company))
    if offer.note:
        rows.append(Row(gettext("Further terms"), offer.note))
    return tuple(rows)


def _title(deal: Deal) -> str:
    if deal.mode == Mode.LICENCE:
        return gettext("Patent licence contract")
    if deal.mode == Mode.TRANSFER:
        return gettext("Patent transfer contract")
    return gettext("Agreement on contributing patents as equity")


def _party_roles(deal: Deal) -> tuple[str, str]:
    if deal.mode == Mode.LICENCE:
        return gettext("Party A (licensor)"), gettext("Party B (licensee)")
    if deal.mode == Mode.TRANSFER:
        return gettext("Party A (assignor)"), gettext("Party B (assignee)")
    return gettext("Party A (contributor)"), gettext("Party B (receiving party)")


def _parties(deal: Deal) -> Section:
    role_a, role_b = _party_roles(deal)
    code = gettext("Unified social credit code")
    return Section(
        heading=gettext("Parties"),
        rows=(
            Row(role_a, deal.seller.name),
            Row(code, deal.seller.credit_code),
            Row(role_b, deal.buyer.name),
            Row(code, deal.buyer.credit_code),
            Row(gettext("Hosting operation centre"), deal.centre.name),
        ),
        paragraphs=(
            gettext(
                "This contract was concluded on the Zhejiang IP Exchange from version %(version)s of the term "
                "sheet, accepted by both parties."
            )
            % {"version": deal.offer.version},
        ),
    )


def _patents(patents: Iterable[Patent]) -> Section:
    rows = tuple(
        Row(
            patent.display_number,
            f"{patent.title} ({patent.get_patent_type_display()}, {patent.get_legal_status_display()})",
        )
        for patent in patents
    )
    return Section(
        heading=gettext("The patents"),
        paragraphs=(
            gettext("Party A warrants that it holds the patents below and that their legal status is as stated."),
        ),
        rows=rows,
    )


def _subject(deal: Deal) -> Section:
    offer = deal.offer
    if deal.mode == Mode.LICENCE:
        meaning = {
            # The three licence types as the patent-licence contract filing defines them.
            LicenceType.EXCLUSIVE: gettext(
                "within the territory only Party B may exploit the patents: Party A neither exploits them itself "
                "nor licenses anyone else."
            ),
            LicenceType.SOLE: gettext(
                "within the territory Party A licenses no one else, but may still exploit the patents itself."
            ),
            LicenceType.ORDINARY: gettext(
                "Party A may exploit the patents itself and license them to others within the territory."
            ),
        }.get(offer.licence_type, "")
        paragraphs = [gettext("Party A licenses Party B to exploit the patents on the terms below.")]
        if meaning:
            kind = LicenceType(offer.licence_type).label
            paragraphs.append(gettext("%(kind)s: %(meaning)s") % {"kind": kind, "meaning": meaning})
    elif deal.mode == Mode.TRANSFER:
        paragraphs = [
            gettext("Party A assigns the patent rights to Party B for the price below."),
            # Patent Law art. 10: an assignment takes effect on its registration with the patent office.
            gettext(
                "The assignment takes effect on the day it is registered with the China National Intellectual "
                "Property Administration; Party A provides what the registration requires."
            ),
        ]
    else:
        paragraphs = [
            gettext(
                "Party A contributes the patents to %(company)s at the appraised value below, in return for "
                "%(share)s of its shares."
            )
            % {"company": offer.receiving_company, "share": _percent(offer.share_percent or 0)},
            gettext("No cash changes hands on the platform: the contribution is settled by the share registration."),
        ]
    return Section(heading=gettext("Subject of the contract"), paragraphs=tuple(paragraphs))


def _payment(deal: Deal) -> Section:
    offer = deal.offer
    paragraphs: list[str] = []
    if deal.mode == Mode.LICENCE:
        if offer.payment_mode == PaymentMode.FREE:
            paragraphs.append(gettext("The licence is granted free of charge."))
        if offer.upfront_fee_fen:
            paragraphs.append(
                gettext("Party B pays Party A an upfront fee of %(amount)s.")
                % {"amount": _money(offer.upfront_fee_fen)}
            )
        if offer.royalty_rate:
            paragraphs.append(
                gettext(
                    "Party B pays a royalty of %(rate)s of its net sales of products made under the licence, "
                    "reporting the sales and paying for each period."
                )
                % {"rate": _percent(offer.royalty_rate)}
            )
        if offer.minimum_annual_royalty_fen:
            paragraphs.append(
                gettext("The royalty is at least %(amount)s a year.")
                % {"amount": _money(offer.minimum_annual_royalty_fen)}
            )
    elif deal.mode == Mode.TRANSFER:
        instalments = offer.instalments or 1
        paragraphs.append(
            ngettext(
                "Party B pays Party A %(amount)s in one instalment.",
                "Party B pays Party A %(amount)s in %(count)d instalments.",
                instalments,
            )
            % {"amount": _money(offer.price_fen or 0), "count": instalments}
        )
    else:
        paragraphs.append(
            gettext("The patents are valued at %(amount)s; the consideration is the shares, not cash.")
            % {"amount": _money(offer.appraised_value_fen or 0)}
        )
    if deal.mode != Mode.EQUITY and offer.payment_mode != PaymentMode.FREE:
        paragraphs.append(
            gettext("Payments are made through the platform in Chinese yuan (CNY); the platform records each one.")
        )
    return Section(heading=gettext("Payment"), paragraphs=tuple(paragraphs))


def _term_and_territory(deal: Deal, patents: list[Patent]) -> Section:
    offer = deal.offer
    last_expiry = max((patent.expiry_date for patent in patents), default=None)
    rows: list[Row] = []
    if deal.mode == Mode.LICENCE:
        if offer.term_years:
            term = gettext("%(term)s from the day both parties have confirmed this contract") % {
                "term": _years(offer.term_years)
            }
        else:
            term = gettext("The remaining term of the patents")
        rows.append(Row(pgettext("duration", "Term"), term))
        rows.append(Row(gettext("Territory"), offer.territory or gettext("Not limited")))
        rows.append(Row(gettext("Field of use"), offer.field_of_use or gettext("Not limited")))
    else:
        rows.append(Row(pgettext("duration", "Term"), gettext("Permanent, for the remaining term of the patents")))
    if last_expiry:
        rows.append(Row(gettext("Last patent expires"), last_expiry.isoformat()))
    return Section(heading=gettext("Term and territory"), rows=tuple(rows))


def _registration(registration: ContractRegistration | None, share_registration: ShareRegistration | None) -> Section:
    paragraphs = [
        gettext(
            "A broker of the hosting centre records the technology contract registration (技术合同认定登记) once "
            "both parties have confirmed this contract."
        )
    ]
    rows: list[Row] = []
    if registration is None:
        paragraphs.append(gettext("Not registered yet."))
    else:
        rows += [
            Row(gettext("Registration number"), registration.number),
            Row(gettext("Registration date"), registration.registered_on.isoformat()),
            Row(gettext("Contract type"), str(ContractType(registration.contract_type).label)),
            Row(gettext("Contract total"), _money(registration.contract_total_fen)),
            Row(gettext("Technology transaction amount"), _money(registration.technology_amount_fen)),
        ]
    if share_registration is not None:
        rows += [
            Row(
                gettext("Shares registered"),
                f"{share_registration.company} · {_percent(share_registration.share_percent)}",
            ),
            Row(gettext("Share registration"), f"{share_registration.reference} · {share_registration.registered_on}"),
        ]
    return Section(heading=gettext("Registration"), paragraphs=tuple(paragraphs), rows=tuple(rows))


def _confirmation(deal: Deal) -> Section:
    role_a, role_b = _party_roles(deal)
    return Section(
        heading=gettext("Confirmation"),
        paragraphs=(
            gettext(
                "Each party confirms this contract on the platform through its signatory, a person it has "
                "authorised in writing and whom the operation centre has verified; the recorded confirmation, with "
                "its time and the signatory's name, stands as that party's signature."
            ),
        ),
        rows=(
            Row(f"{role_a} · {deal.seller.name}", _signature(deal.seller_signed_at, deal.seller_signed_by)),
            Row(f"{role_b} · {deal.buyer.name}", _signature(deal.buyer_signed_at, deal.buyer_signed_by)),
        ),
    )


def build_contract(
    *,
    deal: Deal,
    patents: Iterable[Patent],
    registration: ContractRegistration | None = None,
    share_registration: ShareRegistration | None = None,
) -> Contract:
    """The contract of a deal, section by section, from its accepted offer, parties and patents."""
    patents = list(patents)
    return Contract(
        title=_title(deal),
        reference=contract_reference(deal),
        sections=(
            _parties(deal),
            _patents(patents),
            _subject(deal),
            Section(heading=gettext("Accepted terms"), rows=accepted_terms(deal.offer)),
            _payment(deal),
            _term_and_territory(deal, patents),
            _registration(registration, share_registration),
            _confirmation(deal),
        ),
    )
