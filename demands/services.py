"""Every write to technology demands. Views, the demo data and (later) the importer and the write API call these;
nothing writes around them."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus
from demands.models import DEAL_KIND_FIELDS, DealKind, Demand, DemandCloseReason, DemandEvent, DemandStatus
from demands.signals import demand_changed, demand_closed, demand_published, demand_solved
from listings.patents.ipc import IpcCodeError, parse_ipc_prefix
from marketplace.centres.selectors import staff_scope
from marketplace.core.errors import as_validation_error
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

# --- Who is acting ------------------------------------------------------------------------------------------

OWNER, STAFF, SYSTEM = "owner", "staff", "system"


def actor_roles(demand: Demand, actor) -> set[str]:
    """The roles the actor holds on this demand: owner (member of its organisation), staff (of the hosting
    centre or a centre above it: marketplace.centres' staff scope, as for listings)."""
    if actor is None:
        return {SYSTEM}
    roles = set()
    if demand.organisation_id in organisation_ids_of(actor):
        roles.add(OWNER)
    if staff_scope(actor).covers(demand.centre_id):
        roles.add(STAFF)
    return roles


# --- The state machine --------------------------------------------------------------------------------------

S = DemandStatus
OPEN_STATES = (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.PAUSED)

# (from, to) -> who may make the move. Every other move is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # The platform itself (actor None: the demo data, later a centre's import of a demand survey) may submit a
    # demand it recorded for an organisation; it still waits for the hosting centre's staff like any other.
    (S.DRAFT, S.SUBMITTED): frozenset({OWNER, SYSTEM}),
    (S.SUBMITTED, S.DRAFT): frozenset({OWNER, STAFF}),  # recalled by the owner, or returned with a reason
    (S.SUBMITTED, S.PUBLISHED): frozenset({STAFF}),
    (S.PUBLISHED, S.PAUSED): frozenset({OWNER, STAFF}),
    (S.PAUSED, S.PUBLISHED): frozenset({OWNER, STAFF}),
    **{(state, S.CLOSED): frozenset({OWNER, STAFF}) for state in OPEN_STATES},
    **{(state, S.EXPIRED): frozenset({SYSTEM}) for state in OPEN_STATES},
}


def allowed_moves(demand: Demand, actor) -> list[str]:
    roles = actor_roles(demand, actor)
    return [to for (src, to), who in TRANSITIONS.items() if src == demand.status and roles & who]


def organisation_unverified_message(organisation: Organisation) -> str:
    return _(
        "%(organisation)s is not verified yet, and only a verified organisation may post technology demands. "
        "%(centre)s verifies an organisation once it has checked its unified social credit code and registration."
    ) % {"organisation": organisation.name, "centre": organisation.centre.local_name}


def _require_verified(organisation: Organisation) -> None:
    if not organisation.verified:
        raise ValidationError({"organisation": organisation_unverified_message(organisation)}, code="unverified")


@transaction.atomic
def demand_set_status(
    *,
    demand: Demand,
    to_status: str,
    actor,
    note: str = "",
    close_reason: str = "",
    deal: Deal | None = None,
    today: date | None = None,
) -> Demand:
    """Move a demand to another status, if TRANSITIONS allows it for this actor.

    Takes a row lock so two people moving the same demand cannot both succeed. Submitting and publishing check
    that the organisation is verified and the deadline still ahead; staff returning a demand must say why. Closing
    as solved may name the deal that solved it: a deal of the demand's own organisation as buyer, not cancelled.
    Every move leaves a DemandEvent and may send a signal (published / closed / solved).
    """
    demand = Demand.objects.select_for_update().select_related("organisation__centre").get(pk=demand.pk)
    today = today or timezone.localdate()
    from_status = demand.status
    who = TRANSITIONS.get((from_status, to_status))
    if who is None:
        raise ValidationError(
            _("A demand that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label if to_status in S.values else to_status},
            code="invalid_transition",
        )
    roles = actor_roles(demand, actor)
    if not roles & who:
        raise PermissionDenied(_("You may not make this change to the demand."))

    if to_status in (S.SUBMITTED, S.PUBLISHED):
        _require_verified(demand.organisation)
        if demand.deadline <= today:
            raise ValidationError(
                _("The deadline has passed or is today: set a later deadline first."), code="deadline_passed"
            )
        if to_status == S.SUBMITTED:
            demand.submitted_at = timezone.now()
            demand.moderation_note = ""
        else:
            demand.published_at = demand.published_at or timezone.now()
    elif to_status == S.DRAFT and OWNER not in roles:
        if not note.strip():
            raise ValidationError(_("Say what the organisation should change."), code="note_required")
        demand.moderation_note = note.strip()
    elif to_status == S.CLOSED:
        if close_reason not in DemandCloseReason.values:
            raise ValidationError(_("Say why the demand closes: solved or withdrawn."), code="close_reason")
        demand.close_reason = close_reason
        if deal is not None:
            _require_solving_deal(demand, deal, close_reason)
            demand.solved_by_deal = deal
    if deal is not None and to_status != S.CLOSED:
        raise ValidationError(
            {"deal": ValidationError(_("A deal is named only when the demand closes as solved."), code="deal")}
        )

    demand.status = to_status
    demand.full_clean()
    demand.save()
    DemandEvent.objects.create(
        demand=demand, from_status=from_status, to_status=to_status, actor=actor, note=note.strip()
    )
    if to_status == S.PUBLISHED:
        demand_published.send(sender=Demand, demand=demand)
    elif from_status == S.PUBLISHED:
        demand_closed.send(sender=Demand, demand=demand, status=to_status)
    # Only a demand that was on the public site counts as solved through the platform: a draft closed as solved
    # was never offered to anyone.
    if to_status == S.CLOSED and close_reason == DemandCloseReason.SOLVED and demand.published_at is not None:
        demand_solved.send(sender=Demand, demand=demand, deal=demand.solved_by_deal, solved_on=today)
    return demand


def _require_solving_deal(demand: Demand, deal: Deal, close_reason: str) -> None:
    if close_reason != DemandCloseReason.SOLVED:
        raise ValidationError(
            {"deal": ValidationError(_("A deal is named only when the demand closes as solved."), code="deal")}
        )
    deal = Deal.objects.filter(pk=deal.pk).only("buyer_id", "status").first()
    if deal is None or deal.buyer_id != demand.organisation_id:
        raise ValidationError(
            {
                "deal": ValidationError(
                    _("Name a deal in which %(organisation)s is the buyer.") % {"organisation": demand.organisation},
                    code="not_own_deal",
                )
            }
        )
    if deal.status == DealStatus.CANCELLED:
        raise ValidationError(
            {"deal": ValidationError(_("This deal was cancelled: it solved nothing."), code="deal_cancelled")}
        )


# --- Writing a demand ---------------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "title",
    "description",
    "title_en",
    "summary_en",
    "field",
    "ipc_codes",
    "deal_kinds",
    "budget_min_fen",
    "budget_max_fen",
    "city",
    "deadline",
    "contact_policy",
)


def clean_demand_ipc_codes(raw: str | list[str]) -> list[str]:
    """IPC codes or leading parts of them ('H01M', 'h01m 4/525'), separated by ; , or new lines; normalised,
    without repeats. Firms rarely know a full group, so a subclass or a class is enough; none is fine too."""
    if isinstance(raw, str):
        for separator in ("；", "，", ",", "\n"):
            raw = raw.replace(separator, ";")
        parts = raw.split(";")
    else:
        parts = list(raw)
    codes: list[str] = []
    for part in parts:
        if not part.strip():
            continue
        try:
            code = parse_ipc_prefix(part)
        except IpcCodeError as error:
            raise as_validation_error(error, prefix="ipc") from None
        if code not in codes:
            codes.append(code)
    return codes


def _apply(demand: Demand, changes: dict, *, today: date) -> None:
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable demand field")
        if name == "deal_kinds":
            kinds = set(value or ())
            unknown = kinds - set(DealKind.values)
            if unknown:
                raise ValidationError({"deal_kinds": _("Unknown kind of deal.")}, code="deal_kind")
            for kind, field in DEAL_KIND_FIELDS.items():
                setattr(demand, field, kind in kinds)
        elif name == "ipc_codes":
            try:
                demand.ipc_codes = clean_demand_ipc_codes(value or [])
            except ValidationError as error:
                raise ValidationError({"ipc_codes": error}) from None
        else:
            setattr(demand, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if not demand.deal_kinds:
        errors.setdefault("deal_kinds", []).append(_("Choose at least one kind of deal you would accept."))
    if (
        demand.budget_min_fen is not None
        and demand.budget_max_fen is not None
        and demand.budget_min_fen > demand.budget_max_fen
    ):
        errors.setdefault("budget_max_fen", []).append(_("The budget's upper end is below its lower end."))
    if demand.deadline is not None and demand.deadline <= today:
        errors.setdefault("deadline", []).append(_("The deadline must be a day in the future."))
    if errors:
        raise ValidationError(errors)
    demand.full_clean()


@transaction.atomic
def demand_create(*, actor, organisation: Organisation, today: date | None = None, **fields) -> Demand:
    """A member of a verified organisation writes a draft demand, hosted by the organisation's centre. Refused,
    with nothing saved, for an organisation the actor does not belong to or one not verified, and for a demand
    without a field, with its budget upside down or a deadline not in the future."""
    if actor is not None and organisation.id not in organisation_ids_of(actor):
        raise PermissionDenied(_("You can only post demands for an organisation you belong to."))
    _require_verified(organisation)
    demand = Demand(organisation=organisation, centre_id=organisation.centre_id, created_by=actor)
    _apply(demand, fields, today=today or timezone.localdate())
    demand.save()
    DemandEvent.objects.create(demand=demand, from_status="", to_status=S.DRAFT, actor=actor)
    return demand


@transaction.atomic
def demand_update(*, demand: Demand, actor, today: date | None = None, **changes) -> Demand:
    """The organisation changes its demand: while a draft, and while published or paused (the public pages
    follow). A submitted demand waits for its review; a closed or expired one stays as it was."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if OWNER not in actor_roles(demand, actor):
        raise PermissionDenied(_("Only members of the organisation may change this demand."))
    if demand.status not in (S.DRAFT, S.PUBLISHED, S.PAUSED):
        raise ValidationError(_("This demand can no longer be edited."), code="not_editable")
    _apply(demand, changes, today=today or timezone.localdate())
    demand.save()
    if demand.status == S.PUBLISHED:
        demand_changed.send(sender=Demand, demand=demand)
    return demand


# --- Leaving the site by itself -----------------------------------------------------------------------------


def demands_expire(*, today: date | None = None) -> list[int]:
    """Expire every open demand whose deadline (its last open day) is behind us. Idempotent: an expired demand
    is no longer open, so a second run finds nothing."""
    today = today or timezone.localdate()
    due = Demand.objects.filter(status__in=OPEN_STATES, deadline__lt=today).order_by("pk").values_list("pk", flat=True)
    expired = []
    for demand_id in list(due):
        with transaction.atomic():
            demand = Demand.objects.select_for_update().filter(pk=demand_id, status__in=OPEN_STATES).first()
            if demand is None:  # moved by someone else meanwhile
                continue
            demand_set_status(demand=demand, to_status=S.EXPIRED, actor=None, note="deadline passed", today=today)
        expired.append(demand_id)
    return expired
