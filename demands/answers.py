"""Every write to answers: a seller answers a published demand with some of its published listings, withdraws its
answer, and the demand's organisation opens a negotiation room from one answered listing.

A seller answers through one of its members, or through a broker of a centre that hosts the listings, acting for
the seller (as brokers act on the listings and negotiations their centre hosts: marketplace.centres' staff scope).
The room is the deals app's own (deals.services.negotiations.negotiation_open): an answer only records which
negotiation came from it, so the road from a demand to a deal can be followed.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Negotiation
from deals.services.negotiations import negotiation_open
from demands.models import AnsweredListing, AnswerRole, Demand, DemandAnswer, DemandStatus
from demands.signals import demand_answered
from demands.tasks import mail_demand_answered
from listings.models import Listing, ListingTerms
from marketplace.centres.selectors import staff_scope
from marketplace.core.notifications import notify_users_on_commit
from marketplace.core.text import require_storable_text
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.selectors import organisation_ids_of

MAX_ANSWER_LISTINGS = 10
MAX_ANSWER_MESSAGE_CHARS = 1000


def answer_role(actor, organisation: Organisation, listings: Iterable[Listing]) -> str | None:
    """How the actor may answer for this seller with these listings: as its member, as a broker of a centre
    hosting every one of them, or not at all (None)."""
    if actor is None or not actor.is_authenticated:
        return None
    if organisation.id in organisation_ids_of(actor):
        return AnswerRole.MEMBER
    scope = staff_scope(actor)
    listings = list(listings)
    if listings and all(scope.covers(listing.centre_id) for listing in listings):
        return AnswerRole.BROKER
    return None


def refusal(field: str, message: str, code: str) -> ValidationError:
    """A refusal of one field, with a code that tests and clients can read whatever the language."""
    return ValidationError({field: ValidationError(message, code=code)})


def _clean_message(message: str) -> str:
    text = require_storable_text(message or "").strip()
    if not text:
        raise refusal("message", _("Say in a few words how these listings answer the demand."), "message_required")
    if len(text) > MAX_ANSWER_MESSAGE_CHARS:
        raise refusal(
            "message",
            _("A message can have at most %(count)s characters.") % {"count": MAX_ANSWER_MESSAGE_CHARS},
            "message_too_long",
        )
    return text


def _titles(titles: Iterable[str]) -> str:
    return "、".join(f"“{title}”" for title in titles)


def _duplicate_error(titles: list[str]) -> ValidationError:
    return refusal(
        "listings",
        _("This demand has already been answered with: %(titles)s. Each listing answers a demand once.")
        % {"titles": _titles(titles)},
        "already_answered",
    )


@transaction.atomic
def demand_answer_create(*, demand: Demand, actor, listings: Iterable[Listing], message: str) -> DemandAnswer:
    """A seller answers a published demand with one or more of its own published listings and a short message.

    Refused, with nothing saved: a demand that is not published; no listing, or too many; listings of several
    sellers, or not published; the demand's own organisation answering itself; someone who is neither a member
    of the seller nor a broker of the centres hosting the listings; a listing that already answers this demand.
    The demand's organisation is told on its open pages, and by mail (tasks.py), once the answer is committed.
    """
    demand = Demand.objects.select_for_update().select_related("organisation").get(pk=demand.pk)
    if demand.status != DemandStatus.PUBLISHED:
        raise ValidationError(_("Only a published demand can be answered."), code="not_published")
    # Judge the listings as they are now, not as the caller loaded them.
    listing_ids = list(dict.fromkeys(listing.pk for listing in listings))
    if not listing_ids:
        raise refusal("listings", _("Choose at least one listing."), "no_listing")
    if len(listing_ids) > MAX_ANSWER_LISTINGS:
        raise refusal(
            "listings", _("Answer with at most %(count)s listings.") % {"count": MAX_ANSWER_LISTINGS}, "too_many"
        )
    chosen = list(Listing.objects.filter(pk__in=listing_ids).select_related("seller").order_by("pk"))
    if len(chosen) != len(listing_ids):
        raise refusal("listings", _("Unknown listing."), "unknown_listing")
    if len({listing.seller_id for listing in chosen}) > 1:
        raise refusal(
            "listings",
            _("Answer for one seller at a time: these listings belong to several organisations."),
            "several_sellers",
        )
    organisation = chosen[0].seller
    if organisation.id == demand.organisation_id:
        raise ValidationError(_("An organisation cannot answer its own demand."), code="own_demand")
    role = answer_role(actor, organisation, chosen)
    if role is None:
        raise PermissionDenied(
            _(
                "You can answer only with the listings of your own organisation, or, as a broker, of a seller "
                "your centre hosts."
            )
        )
    not_on_market = [listing.title for listing in chosen if not listing.is_on_market]
    if not_on_market:
        raise refusal(
            "listings",
            _("Only published listings can answer a demand: %(titles)s.") % {"titles": _titles(not_on_market)},
            "not_on_market",
        )
    taken = set(
        AnsweredListing.objects.filter(demand=demand, listing_id__in=listing_ids, active=True).values_list(
            "listing_id", flat=True
        )
    )
    if taken:
        raise _duplicate_error([listing.title for listing in chosen if listing.pk in taken])

    answer = DemandAnswer(
        demand=demand, organisation=organisation, message=_clean_message(message), answered_by=actor, answered_as=role
    )
    answer.full_clean()
    answer.save()
    try:
        # The partial unique index is the guard against two answers racing with the same listing.
        with transaction.atomic():
            AnsweredListing.objects.bulk_create(
                [AnsweredListing(answer=answer, demand=demand, listing=listing) for listing in chosen]
            )
    except IntegrityError:
        raise _duplicate_error([listing.title for listing in chosen]) from None

    demand_answered.send(sender=DemandAnswer, answer=answer)
    _notify_demand_organisation(answer)
    return answer


def _member_ids(organisation_id: int) -> list[int]:
    return list(
        Membership.objects.filter(organisation_id=organisation_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _notify_demand_organisation(answer: DemandAnswer) -> None:
    demand = answer.demand
    notify_users_on_commit(
        _member_ids(demand.organisation_id),
        {
            "message": _("%(seller)s answered your demand “%(demand)s”.")
            % {"seller": answer.organisation.name, "demand": demand.title},
            "url": reverse("demands:answers", args=[demand.pk]),
        },
    )
    answer_id = answer.pk
    transaction.on_commit(lambda: mail_demand_answered.enqueue(answer_id=answer_id), robust=True)


def answerer_ids(answer: DemandAnswer) -> list[int]:
    """Who answered: the seller's members, and the broker who answered for it."""
    ids = set(_member_ids(answer.organisation_id))
    if answer.answered_by_id:
        ids.add(answer.answered_by_id)
    return sorted(ids)


def may_withdraw(actor, answer: DemandAnswer) -> bool:
    """The seller that answered, or a broker of a centre hosting the answer's listings, may take it back."""
    listings = Listing.objects.filter(pk__in=answer.answered_listings.values("listing_id"))
    return answer_role(actor, answer.organisation, listings) is not None


@transaction.atomic
def demand_answer_withdraw(*, answer: DemandAnswer, actor) -> DemandAnswer:
    """The seller (or the broker acting for it) takes its answer back. The negotiations already opened from it
    carry on; its listings may answer the demand again later."""
    answer = DemandAnswer.objects.select_for_update().select_related("organisation").get(pk=answer.pk)
    if not may_withdraw(actor, answer):
        raise PermissionDenied(_("Only the seller that answered, or a broker acting for it, may withdraw the answer."))
    if answer.is_withdrawn:
        return answer
    answer.withdrawn_at = timezone.now()
    answer.save(update_fields=["withdrawn_at"])
    answer.answered_listings.update(active=False)
    return answer


@transaction.atomic
def answered_listing_negotiate(*, answered: AnsweredListing, mode: str, actor, message: str = "") -> Negotiation:
    """A member of the demand's organisation opens a negotiation room on one listing of an answer, in one of the
    modes the listing offers: the deals app's own enquiry (negotiation_open), with the demand's organisation as
    the buyer. The answered listing records the negotiation, and the seller's people are told."""
    answered = (
        AnsweredListing.objects.select_for_update()
        .select_related("answer__organisation", "demand__organisation", "listing")
        .get(pk=answered.pk)
    )
    demand = answered.demand
    if demand.organisation_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the organisation that posted the demand opens negotiations from its answers."))
    if answered.answer.is_withdrawn:
        raise ValidationError(_("The seller withdrew this answer."), code="withdrawn")
    if demand.status not in (DemandStatus.PUBLISHED, DemandStatus.PAUSED):
        raise ValidationError(_("This demand is no longer open."), code="demand_not_open")
    if not ListingTerms.objects.filter(listing=answered.listing, mode=mode, is_open=True).exists():
        raise ValidationError(_("This listing does not offer that mode (any more)."), code="mode")
    body = message.strip() or _("We would like to discuss your answer to our demand “%(demand)s”.") % {
        "demand": demand.title
    }
    negotiation = negotiation_open(
        listing=answered.listing, mode=mode, actor=actor, buyer=demand.organisation, message=body
    )
    if answered.negotiation_id != negotiation.pk:
        answered.negotiation = negotiation
        answered.negotiation_opened_at = timezone.now()
        answered.save(update_fields=["negotiation", "negotiation_opened_at"])
        notify_users_on_commit(
            answerer_ids(answered.answer),
            {
                "message": _("%(buyer)s opened a negotiation on “%(listing)s” from your answer to its demand.")
                % {"buyer": demand.organisation.name, "listing": answered.listing.title},
                "url": reverse("negotiations:room", args=[negotiation.pk]),
            },
        )
    return negotiation
