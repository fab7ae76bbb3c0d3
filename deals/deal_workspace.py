"""What each side of a deal must do next, the lifecycle steps shown on a deal's page, and the deals panel of
"My workspace" (registered from DealsConfig.ready())."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus, PaymentMode, Side
from deals.selectors import deal_side, deals_visible_to
from listings.models import Mode
from listings.selectors import listings_of_seller
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of, signatory_organisation_ids

D = DealStatus
# Registration and settlement may happen in either order once the contract is signed.
SIGNED_STATES = (D.CONTRACT_SIGNED, D.REGISTERED, D.SETTLED)
PANEL_SIZE = 10


class Action:
    """What the person must do; the page shows the matching form or link."""

    SIGN = "sign"
    PAY = "pay"
    REGISTER = "register"
    SHARES = "shares"
    WAIT = "wait"
    NONE = "none"


@dataclass(frozen=True)
class NextStep:
    action: str
    text: str

    @property
    def needs_you(self) -> bool:
        return self.action not in (Action.WAIT, Action.NONE)


def buyer_pays(deal: Deal) -> bool:
    # An equity contribution is paid in shares, a free licence not at all: neither goes through payments.
    return deal.mode != Mode.EQUITY and deal.offer.payment_mode != PaymentMode.FREE


def shares_to_register(deal: Deal) -> bool:
    """An equity deal whose contract is signed but whose share registration is not recorded yet. The record,
    not `settled_at`, decides: an equity contribution settles on it and on nothing else."""
    return deal.mode == Mode.EQUITY and deal.status in SIGNED_STATES and not hasattr(deal, "share_registration")


def _settlement_pending(deal: Deal) -> bool:
    if deal.mode == Mode.EQUITY:
        return not hasattr(deal, "share_registration")
    return deal.settled_at is None


def next_step(deal: Deal, side: str | None) -> NextStep:
    """The one thing the viewer's side must do next on this deal, or what it is waiting for."""
    if deal.status == D.CANCELLED:
        return NextStep(Action.NONE, _("Nothing: the deal was cancelled."))
    if deal.status == D.COMPLETED:
        return NextStep(Action.NONE, _("Nothing: the deal is completed."))
    if side is None:
        return NextStep(Action.NONE, "")
    if deal.status == D.AGREED:
        if side == Side.BROKER:
            return NextStep(Action.WAIT, _("Wait for both parties to sign the contract."))
        signed_at = deal.buyer_signed_at if side == Side.BUYER else deal.seller_signed_at
        if signed_at is None:
            return NextStep(Action.SIGN, _("Read the contract and sign it."))
        return NextStep(Action.WAIT, _("Wait for the other party to sign the contract."))

    needs_registration = deal.registered_at is None
    needs_settlement = _settlement_pending(deal)
    equity = deal.mode == Mode.EQUITY
    if side == Side.BROKER:
        if needs_registration:
            return NextStep(Action.REGISTER, _("Record the technology contract registration."))
        if needs_settlement and equity:
            return NextStep(Action.SHARES, _("Record the share registration."))
        return NextStep(Action.WAIT, _("Wait for the buyer's payment."))
    if side == Side.BUYER and needs_settlement and buyer_pays(deal):
        return NextStep(Action.PAY, _("Pay what is due under the contract."))
    if needs_settlement and needs_registration:
        if equity:
            return NextStep(Action.WAIT, _("Wait for the broker to record the contract and the share registration."))
        if buyer_pays(deal):
            return NextStep(Action.WAIT, _("Wait for the buyer's payment and the broker's contract registration."))
        return NextStep(Action.WAIT, _("Wait for the broker to record the contract registration and settlement."))
    if needs_settlement:
        if equity:
            return NextStep(Action.WAIT, _("Wait for the broker to record the share registration."))
        if buyer_pays(deal):
            return NextStep(Action.WAIT, _("Wait for the buyer's payment."))
        return NextStep(Action.WAIT, _("Wait for the settlement to be recorded."))
    return NextStep(Action.WAIT, _("Wait for the broker to record the contract registration."))


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done", "current" or "todo"
    detail: str = ""


def deal_steps(deal: Deal) -> list[Step]:
    """agreed → signed → registered and settled → completed, each done, current or still to come."""
    signed = deal.buyer_signed_at is not None and deal.seller_signed_at is not None
    registered, settled = deal.registered_at is not None, not _settlement_pending(deal)
    completed = deal.completed_at is not None
    halfway = []
    if registered:
        halfway.append(_("registered"))
    if settled:
        halfway.append(_("settled"))
    done = {"agreed": True, "signed": signed, "registered_settled": registered and settled, "completed": completed}
    labels = {
        "agreed": _("Agreed"),
        "signed": _("Contract signed"),
        "registered_settled": _("Registered and settled"),
        "completed": _("Completed"),
    }
    steps = []
    current_found = deal.status == D.CANCELLED  # a cancelled deal has no current step
    for key, label in labels.items():
        if done[key]:
            state = "done"
        elif not current_found:
            state, current_found = "current", True
        else:
            state = "todo"
        detail = ", ".join(halfway) if key == "registered_settled" and not done[key] else ""
        steps.append(Step(key=key, label=label, state=state, detail=detail))
    return steps


def deals_needing_action(user, limit: int = PANEL_SIZE) -> list[tuple[Deal, NextStep]]:
    """The person's deals on which they must act, oldest first (they have waited longest): a member who is not a
    signatory of their side is not asked to sign or pay.

    The query narrows the candidates by the same rules as `next_step`, which has the last word (a person who is
    both a member and centre staff acts as the member, as `deal_side` decides)."""
    organisations = organisation_ids_of(user)
    scope = staff_scope(user)
    signed = Q(status__in=SIGNED_STATES)
    buyer_pays = ~Q(mode=Mode.EQUITY) & ~Q(offer__payment_mode=PaymentMode.FREE)
    condition = Q(buyer_id__in=organisations) & (
        Q(status=D.AGREED, buyer_signed_at__isnull=True) | (signed & Q(settled_at__isnull=True) & buyer_pays)
    )
    condition |= Q(seller_id__in=organisations, status=D.AGREED, seller_signed_at__isnull=True)
    if scope.is_staff:
        condition |= (
            scope.filter_q("centre_id")
            & signed
            & (Q(registered_at__isnull=True) | Q(mode=Mode.EQUITY, share_registration__isnull=True))
        )
    candidates = (
        deals_visible_to(user)
        .filter(condition)
        .select_related("share_registration")
        .order_by("created_at", "pk")[: limit * 2]
    )
    may_bind = signatory_organisation_ids(user)
    rows = []
    for deal in candidates:
        side = deal_side(deal, user)
        step = next_step(deal, side)
        # Signing and paying need a signatory of the side: they do not wait on its other members.
        party = deal.buyer_id if side == Side.BUYER else deal.seller_id
        if step.action in (Action.SIGN, Action.PAY) and party not in may_bind:
            continue
        rows.append((deal, step))
    return [(deal, step) for deal, step in rows if step.needs_you][:limit]


def may_see_pass_reasons(user) -> bool:
    """ "Why we passed" is for sellers (members of an organisation with listings) and centre staff."""
    return staff_scope(user).is_staff or listings_of_seller(user).exists()


def deal_panel_context(request) -> dict | None:
    deals = deals_visible_to(request.user)
    pass_reasons = may_see_pass_reasons(request.user)
    if not (pass_reasons or deals.exists()):
        return None
    return {
        "needing_action": deals_needing_action(request.user),
        "active_count": deals.exclude(status__in=(D.COMPLETED, D.CANCELLED)).count(),
        "pass_reasons": pass_reasons,
    }
