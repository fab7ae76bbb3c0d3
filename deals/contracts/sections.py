"""What the contract says, article by article, in the structure of a Chinese technology-licence contract (the
model of the patent-licence contract filing, 专利实施许可合同): parties with their credit codes and addresses, the
patents, scope and territory, exclusivity, term, price and payment, the platform's service fee, technical documents
and assistance, confidentiality, warranties on validity and title, improvements, breach and liability, dispute
resolution, governing law, registration, entry into force and signatures. A transfer or an equity contribution
follows the same order, its articles worded for an assignment.

Built in the active language; `build_contract_versions` builds the Chinese text, which prevails, and the English
convenience translation. Money is formatted from fen, with the capital numerals of Chinese contracts."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, ngettext, pgettext

from deals.models import (
    ContractRegistration,
    ContractType,
    Deal,
    DisputeResolution,
    Offer,
    PaymentMode,
    RoyaltyBase,
    RoyaltyPeriod,
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
    language: str = ""

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
    if offer.royalty_base:
        rows.append(Row(gettext("Royalty base"), str(RoyaltyBase(offer.royalty_base).label)))
    if offer.royalty_period:
        rows.append(Row(gettext("Royalty reporting period"), str(RoyaltyPeriod(offer.royalty_period).label)))
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
    if offer.dispute_resolution:
        rows.append(Row(gettext("Disputes are resolved by"), _dispute_forum(offer)))
    if offer.note:
        rows.append(Row(gettext("Further terms"), offer.note))
    return tuple(rows)


CHINESE_DIGITS = "零一二三四五六七八九"
# Sums fall due this many days after the platform bills them (the payments app's payment term).
PAYMENT_TERM_DAYS = 30
# Technical documents are delivered this many days after the contract takes effect.
DELIVERY_DAYS = 30
# Confidentiality outlasts the contract by this many years.
CONFIDENTIAL_YEARS = 3
# Late payment: a penalty of this many ten-thousandths of the overdue sum a day (万分之五), the common rate.
LATE_PAYMENT_PER_TEN_THOUSAND = 5
# A breach not cured this many days after notice lets the other party terminate.
CURE_DAYS = 30
# Patent licence contracts are filed with the patent office within three months of taking effect
# (专利实施许可合同备案办法 art. 5).
FILING_MONTHS = 3


def chinese_numeral(number: int) -> str:
    """1..99 as contracts number their articles: 1 一, 10 十, 12 十二, 20 二十, 21 二十一."""
    tens, units = divmod(number, 10)
    if tens == 0:
        return CHINESE_DIGITS[units]
    text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    return text + (CHINESE_DIGITS[units] if units else "")


def _is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def article_heading(number: int, title: str) -> str:
    """第一条 合同当事人 / Article 1 Parties."""
    numeral = chinese_numeral(number) if _is_chinese() else str(number)
    return pgettext("contract article", "Article %(number)s %(title)s") % {"number": numeral, "title": title}


def _dispute_forum(offer: Offer) -> str:
    if offer.dispute_resolution == DisputeResolution.ARBITRATION:
        return gettext("Arbitration by %(commission)s") % {"commission": offer.arbitration_commission}
    return str(DisputeResolution(offer.dispute_resolution or DisputeResolution.COURT).label)


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


def _party_rows(role: str, organisation) -> list[Row]:
    return [
        Row(role, organisation.name),
        Row(gettext("Unified social credit code"), organisation.credit_code),
        Row(gettext("Registered address"), organisation.address or gettext("Not recorded")),
    ]


def _parties(deal: Deal) -> Section:
    role_a, role_b = _party_roles(deal)
    return Section(
        heading=gettext("Parties"),
        rows=(
            *_party_rows(role_a, deal.seller),
            *_party_rows(role_b, deal.buyer),
            Row(gettext("Platform"), gettext("Zhejiang IP Exchange")),
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


def _scope(deal: Deal) -> Section:
    offer = deal.offer
    if deal.mode == Mode.LICENCE:
        paragraphs = (
            gettext("Party A licenses Party B to exploit the patents on the terms below."),
            gettext(
                "Within the scope, Party B may make, use, sell, offer for sale and import the products of the "
                "patents, or use the patented processes; it may not sublicense anyone without Party A's written "
                "consent."
            ),
        )
        rows = (
            Row(gettext("Territory"), offer.territory or gettext("Not limited")),
            Row(gettext("Field of use"), offer.field_of_use or gettext("Not limited")),
        )
        return Section(heading=gettext("Scope and territory"), paragraphs=paragraphs, rows=rows)
    if deal.mode == Mode.TRANSFER:
        paragraphs = (
            gettext("Party A assigns the patent rights to Party B for the price below."),
            # Patent Law art. 10: an assignment takes effect on its registration with the patent office.
            gettext(
                "The assignment takes effect on the day it is registered with the China National Intellectual "
                "Property Administration; Party A provides what the registration requires."
            ),
        )
    else:
        paragraphs = (
            gettext(
                "Party A contributes the patents to %(company)s at the appraised value below, in return for "
                "%(share)s of its shares."
            )
            % {"company": offer.receiving_company, "share": _percent(offer.share_percent or 0)},
            gettext("No cash changes hands on the platform: the contribution is settled by the share registration."),
        )
    return Section(heading=gettext("Subject of the contract"), paragraphs=paragraphs)


def _exclusivity(deal: Deal) -> Section:
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
        }[LicenceType(offer.licence_type)]
        kind = LicenceType(offer.licence_type).label
        paragraphs = [gettext("%(kind)s: %(meaning)s") % {"kind": kind, "meaning": meaning}]
        if offer.licence_type != LicenceType.ORDINARY:
            paragraphs.append(
                gettext(
                    "Party A has granted no earlier licence that conflicts with this one and grants none while "
                    "this contract is in force."
                )
            )
    else:
        holder = offer.receiving_company if deal.mode == Mode.EQUITY else gettext("Party B")
        paragraphs = [
            gettext(
                "Once the change of holder is registered, %(holder)s alone holds the patent rights; Party A no "
                "longer exploits the patents or licenses them without the holder's consent."
            )
            % {"holder": holder}
        ]
    return Section(heading=gettext("Exclusivity"), paragraphs=tuple(paragraphs))


def _term(deal: Deal, patents: list[Patent]) -> Section:
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
        paragraphs = (
            gettext(
                "The licence ends early for a patent that expires, lapses or is declared invalid before the end "
                "of the term."
            ),
        )
    else:
        rows.append(Row(pgettext("duration", "Term"), gettext("Permanent, for the remaining term of the patents")))
        paragraphs = ()
    if last_expiry:
        rows.append(Row(gettext("Last patent expires"), last_expiry.isoformat()))
    return Section(heading=pgettext("contract article", "Term"), paragraphs=paragraphs, rows=tuple(rows))


ROYALTY_BASES = {
    RoyaltyBase.NET_SALES: lambda: gettext("the net sales revenue of the products made under the licence"),
    RoyaltyBase.SALES: lambda: gettext("the sales revenue of the products made under the licence"),
    RoyaltyBase.NEW_OUTPUT: lambda: gettext("the new output value from exploiting the patents"),
    RoyaltyBase.PROFIT: lambda: gettext("the profit from exploiting the patents"),
}
ROYALTY_PERIODS = {
    RoyaltyPeriod.QUARTERLY: lambda: gettext("calendar quarter"),
    RoyaltyPeriod.HALF_YEARLY: lambda: gettext("half calendar year"),
    RoyaltyPeriod.YEARLY: lambda: gettext("calendar year"),
}


def _royalty(offer: Offer) -> list[str]:
    base = ROYALTY_BASES[RoyaltyBase(offer.royalty_base or RoyaltyBase.NET_SALES)]()
    paragraphs = [
        gettext("Party B pays Party A a royalty of %(rate)s of %(base)s.")
        % {"rate": _percent(offer.royalty_rate), "base": base}
    ]
    if offer.royalty_period:
        paragraphs.append(
            gettext(
                "Within %(days)d days after each %(period)s ends, Party B reports on the platform %(base)s of that "
                "period, and pays the royalty it owes."
            )
            % {
                "days": PAYMENT_TERM_DAYS,
                "period": ROYALTY_PERIODS[RoyaltyPeriod(offer.royalty_period)](),
                "base": base,
            }
        )
    else:
        # Contracts agreed before the period was a term.
        paragraphs.append(gettext("Party B reports on the platform for each period and pays the royalty it owes."))
    paragraphs.append(
        gettext(
            "Party B keeps true accounts of what the royalty is based on; Party A may have them inspected once a "
            "year by an accountant, at its own cost unless they understate the royalty by more than 5 %."
        )
    )
    return paragraphs


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
        if offer.payment_mode == PaymentMode.ROYALTY and offer.royalty_rate:
            paragraphs += _royalty(offer)
        if offer.minimum_annual_royalty_fen:
            paragraphs.append(
                gettext("The royalty is at least %(amount)s a year.")
                % {"amount": _money(offer.minimum_annual_royalty_fen)}
            )
            paragraphs.append(gettext("For a reporting period shorter than a year, the minimum applies pro rata."))
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
        paragraphs.append(
            gettext(
                "Each sum falls due %(days)d days after the platform bills it; the instalments of a price fall "
                "due %(days)d days apart."
            )
            % {"days": PAYMENT_TERM_DAYS}
        )
    return Section(heading=gettext("Price and payment"), paragraphs=tuple(paragraphs), rows=accepted_terms(offer))


def fixed_sum_fen(deal: Deal) -> int:
    """The sums fixed in the contract that pass through the platform: the upfront fee or the transfer price."""
    if deal.mode == Mode.LICENCE:
        return deal.offer.upfront_fee_fen or 0
    if deal.mode == Mode.TRANSFER:
        return deal.offer.price_fen or 0
    return 0


def service_fee_fen(deal: Deal) -> int:
    """The platform's service fee: PLATFORM_SERVICE_FEE_BASIS_POINTS of the fixed sums, rounded half up to the
    fen (as the payments app bills it; tests/deals/test_terms_agree.py checks the two agree)."""
    fee = Decimal(fixed_sum_fen(deal)) * settings.PLATFORM_SERVICE_FEE_BASIS_POINTS / Decimal(10_000)
    return int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _service_fee(deal: Deal) -> Section:
    fee = service_fee_fen(deal)
    rate = _percent(Decimal(settings.PLATFORM_SERVICE_FEE_BASIS_POINTS) / 100)
    if fee:
        paragraphs = [
            gettext(
                "Party B pays the platform a service fee of %(rate)s of the fixed sums, that is %(amount)s, billed "
                "with the first payment. The fee is not part of the price and is not paid to Party A."
            )
            % {"rate": rate, "amount": _money(fee)}
        ]
    else:
        paragraphs = [gettext("The platform charges no service fee on this contract.")]
    if deal.mode == Mode.LICENCE and deal.offer.payment_mode == PaymentMode.ROYALTY:
        paragraphs.append(gettext("Royalties bear no platform service fee."))
    paragraphs.append(gettext("Enquiring and negotiating on the platform are free of charge."))
    return Section(heading=gettext("Platform service fee"), paragraphs=tuple(paragraphs))


def _technical_documents(deal: Deal) -> Section:
    paragraphs = [
        gettext(
            "Within %(days)d days after this contract takes effect, Party A delivers to Party B the patent "
            "certificates, the claims, description and drawings as granted, the receipts of the annual fees, and "
            "the technical documents needed to exploit the patents."
        )
        % {"days": DELIVERY_DAYS},
    ]
    if deal.mode == Mode.LICENCE:
        paragraphs.append(
            gettext(
                "Party A gives Party B reasonable technical guidance and answers its questions so that a person "
                "skilled in the art at Party B can exploit the patents; training beyond that is agreed separately."
            )
        )
    else:
        paragraphs.append(
            gettext(
                "Party A provides the documents and signatures that registering the change of holder with the "
                "China National Intellectual Property Administration requires."
            )
        )
    return Section(heading=gettext("Technical documents and assistance"), paragraphs=tuple(paragraphs))


def _confidentiality() -> Section:
    return Section(
        heading=gettext("Confidentiality"),
        paragraphs=(
            gettext(
                "Each party keeps confidential the technical information it receives under this contract that is "
                "not public, and the terms of this contract, during the contract and for %(years)d years after it "
                "ends; it discloses them only to those who need them to perform it and are bound in the same way."
            )
            % {"years": CONFIDENTIAL_YEARS},
            gettext(
                "Disclosure that the law, a court, an authority or the registration and filing of this contract "
                "requires is not a breach."
            ),
        ),
    )


def _warranties() -> Section:
    return Section(
        heading=gettext("Warranties on validity and title"),
        paragraphs=(
            gettext(
                "Party A warrants that it is the lawful holder of the patents, that they are in force, that no "
                "pledge, seizure or other right of a third party prevents this contract, and that it pays the "
                "annual fees that keep the patents in force during this contract."
            ),
            gettext(
                "If a third party claims that exploiting the patents as agreed infringes its rights, Party A "
                "answers the claim and bears the liability, and Party B assists it."
            ),
            # Patent Law art. 47: invalidation does not undo contracts already performed, but money paid in bad
            # faith or whose keeping would be manifestly unfair is returned.
            gettext(
                "If a patent is declared invalid, no fee falls due for it from the day of the decision; fees already "
                "paid are returned only where Party A acted in bad faith or keeping them would be manifestly unfair "
                "(Patent Law art. 47)."
            ),
        ),
    )


def _improvements() -> Section:
    # Civil Code art. 875: follow-up improvements belong to the party that made them unless agreed otherwise.
    return Section(
        heading=gettext("Improvements"),
        paragraphs=(
            gettext(
                "An improvement that a party makes to the patented technology belongs to that party; the other "
                "party may use it only under a separate agreement (Civil Code art. 875)."
            ),
            gettext(
                "Each party tells the other of an improvement it intends to patent before filing, and offers the "
                "other a licence on reasonable terms."
            ),
        ),
    )


def _breach(deal: Deal) -> Section:
    paragraphs = [
        gettext(
            "A party that pays late pays a penalty of %(rate)s ten-thousandths of the overdue sum for each day of "
            "delay."
        )
        % {"rate": LATE_PAYMENT_PER_TEN_THOUSAND},
        gettext(
            "If Party A delivers the technical documents late or incomplete, Party B may withhold payments falling "
            "due until it has them."
        ),
    ]
    if deal.mode == Mode.LICENCE:
        paragraphs.append(
            gettext(
                "If Party B exploits the patents beyond the agreed scope, territory or field, it stops at once and "
                "compensates Party A for the loss."
            )
        )
    paragraphs += [
        gettext(
            "A party whose breach is not cured within %(days)d days after the other party's written notice may "
            "be held to the contract or have it terminated by the other party, and compensates the loss caused."
        )
        % {"days": CURE_DAYS},
        gettext("Neither party is liable for a delay caused by force majeure, provided it tells the other at once."),
    ]
    return Section(heading=gettext("Breach and liability"), paragraphs=tuple(paragraphs))


def _dispute_resolution(deal: Deal) -> Section:
    offer = deal.offer
    paragraphs = [gettext("The parties first try to settle any dispute arising from this contract by negotiation.")]
    if offer.dispute_resolution == DisputeResolution.ARBITRATION:
        paragraphs.append(
            gettext(
                "A dispute not settled by negotiation is submitted to %(commission)s for arbitration under its "
                "rules in force at the time; the award is final and binding on both parties."
            )
            % {"commission": offer.arbitration_commission}
        )
    elif offer.dispute_resolution == DisputeResolution.COURT_SELLER:
        paragraphs.append(
            gettext(
                "A dispute not settled by negotiation is brought before the people's court where Party A is domiciled."
            )
        )
    elif offer.dispute_resolution == DisputeResolution.COURT_BUYER:
        paragraphs.append(
            gettext(
                "A dispute not settled by negotiation is brought before the people's court where Party B is domiciled."
            )
        )
    else:
        paragraphs.append(
            gettext("A dispute not settled by negotiation is brought before the people's court with jurisdiction.")
        )
    paragraphs.append(
        gettext("While a dispute is resolved, the parties go on performing the parts of the contract not in dispute.")
    )
    return Section(
        heading=gettext("Dispute resolution"),
        paragraphs=tuple(paragraphs),
        rows=(Row(gettext("Disputes are resolved by"), _dispute_forum(offer)),),
    )


def _governing_law() -> Section:
    return Section(
        heading=gettext("Governing law"),
        paragraphs=(
            gettext(
                "This contract is governed by the laws of the People's Republic of China, in particular the Civil "
                "Code and the Patent Law."
            ),
        ),
    )


def _registration(
    deal: Deal, registration: ContractRegistration | None, share_registration: ShareRegistration | None
) -> Section:
    paragraphs = [
        gettext(
            "A broker of the hosting centre records the technology contract registration (技术合同认定登记) once "
            "both parties have confirmed this contract."
        )
    ]
    if deal.mode == Mode.LICENCE:
        paragraphs.append(
            gettext(
                "Party A files this licence with the China National Intellectual Property Administration within "
                "%(months)d months after it takes effect (专利实施许可合同备案); Party B assists."
            )
            % {"months": FILING_MONTHS}
        )
    rows: list[Row] = []
    if registration is not None:
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
    return Section(heading=gettext("Registration and filing"), paragraphs=tuple(paragraphs), rows=tuple(rows))


def _entry_into_force(deal: Deal) -> Section:
    paragraphs = [
        gettext(
            "This contract takes effect when the signatories of both parties have signed it on the platform. The "
            "platform then signs the final PDF with its digital signature, which shows that the text has not been "
            "changed since."
        ),
        gettext(
            "This contract is written in Chinese, with an English translation for convenience; if they differ, "
            "the Chinese text prevails."
        ),
    ]
    if deal.offer.note:
        paragraphs.append(gettext("Further terms agreed by the parties: %(note)s") % {"note": deal.offer.note})
    return Section(heading=gettext("Entry into force and language"), paragraphs=tuple(paragraphs))


def _signatures(deal: Deal) -> Section:
    role_a, role_b = _party_roles(deal)
    return Section(
        heading=gettext("Signatures"),
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
    """The contract of a deal, article by article, in the active language, from its accepted offer, parties and
    patents."""
    patents = list(patents)
    articles = (
        _parties(deal),
        _patents(patents),
        _scope(deal),
        _exclusivity(deal),
        _term(deal, patents),
        _payment(deal),
        _service_fee(deal),
        _technical_documents(deal),
        _confidentiality(),
        _warranties(),
        _improvements(),
        _breach(deal),
        _dispute_resolution(deal),
        _governing_law(),
        _registration(deal, registration, share_registration),
        _entry_into_force(deal),
        _signatures(deal),
    )
    return Contract(
        title=_title(deal),
        reference=contract_reference(deal),
        sections=tuple(
            Section(heading=article_heading(number, article.heading), paragraphs=article.paragraphs, rows=article.rows)
            for number, article in enumerate(articles, start=1)
        ),
        language=get_language() or "",
    )


# The text that binds, then the convenience translation.
PREVAILING_LANGUAGE = "zh-hans"
TRANSLATION_LANGUAGE = "en"


def build_contract_versions(
    *,
    deal: Deal,
    patents: Iterable[Patent],
    registration: ContractRegistration | None = None,
    share_registration: ShareRegistration | None = None,
) -> tuple[Contract, Contract]:
    """The Chinese contract, which prevails, and its English translation."""
    patents = list(patents)
    versions = []
    for language in (PREVAILING_LANGUAGE, TRANSLATION_LANGUAGE):
        with translation.override(language):
            versions.append(
                build_contract(
                    deal=deal, patents=patents, registration=registration, share_registration=share_registration
                )
            )
    return versions[0], versions[1]
