"""Public notice of agreed prices (协议定价公示): a deal whose seller is a public university or research institute and
whose price was set by agreement is published for settings.PRICE_NOTICE_DAYS (15 by default) before its contract
may be signed (促进科技成果转化法 art. 18; see deals.models.PriceNotice).

open ──(objection filed)──▶ objected ──(all dismissed)──▶ open
open ──(period over, no objection under review)──▶ cleared
objected ──(one upheld: the deal is cancelled)──▶ withdrawn; open / objected ──(deal cancelled otherwise)──▶ withdrawn

Every move is a PriceNoticeEvent (who, when, why); the deal's parties are told on their open pages after commit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deals.contracts.sections import contract_total_fen
from deals.models import (
    Deal,
    PriceNotice,
    PriceNoticeEvent,
    PriceNoticeStatus,
)
from deals.selectors import participant_user_ids
from deals.services.rooms import notify_people_on_commit
from marketplace.core.pagecache import invalidate_public_pages
from marketplace.organisations.models import OrganisationKind

N = PriceNoticeStatus
# Sellers whose agreed prices are noticed: public universities and research institutes.
NOTICED_SELLER_KINDS = frozenset({OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE})


def price_notice_required(deal: Deal, *, priced_by_agreement: bool = True) -> bool:
    """A price set by agreement with a university or institute seller; an auction's price (priced_by_agreement
    False) was found in public already."""
    return priced_by_agreement and deal.seller.kind in NOTICED_SELLER_KINDS


def notice_record(notice: PriceNotice, to_status: str, actor, note: str = "") -> None:
    from_status = notice.status
    notice.status = to_status
    notice.full_clean(exclude=("deal", "listing", "seller", "buyer", "centre"), validate_constraints=False)
    notice.save(update_fields=["status"])
    PriceNoticeEvent.objects.create(notice=notice, from_status=from_status, to_status=to_status, actor=actor, note=note)
    invalidate_public_pages()


def notice_tell_parties(notice: PriceNotice, message: str, *, also=(), skip=None) -> None:
    people = participant_user_ids(notice.deal.negotiation) | set(also)
    if skip is not None:
        people.discard(skip.pk)
    notify_people_on_commit(people, {"message": message, "url": notice.get_absolute_url()})


def price_notice_publish(*, deal: Deal, actor) -> PriceNotice:
    """Publish the notice of a deal just agreed (called by deal_create_from_offer, inside its transaction)."""
    offer = deal.offer
    now = timezone.now()
    notice = PriceNotice(
        deal=deal,
        listing=deal.listing,
        seller=deal.seller,
        buyer=deal.buyer,
        centre=deal.centre,
        mode=deal.mode,
        licence_type=deal.licence_type,
        amount_fen=contract_total_fen(offer),
        royalty_rate=offer.royalty_rate,
        share_percent=offer.share_percent,
        starts_at=now,
        ends_at=now + timedelta(days=settings.PRICE_NOTICE_DAYS),
    )
    notice.full_clean(exclude=("deal", "listing", "seller", "buyer", "centre"), validate_constraints=False)
    notice.save()
    PriceNoticeEvent.objects.create(notice=notice, from_status="", to_status=N.OPEN, actor=actor)
    invalidate_public_pages()
    if notice.ends_at > notice.starts_at:  # a period of 0 days (tests) has nothing to wait for
        notice_tell_parties(
            notice,
            _(
                "The agreed price of deal #%(id)s is publicly noticed until %(end)s; the contract may be signed "
                "after that."
            )
            % {"id": deal.pk, "end": date_format(timezone.localtime(notice.ends_at), "DATETIME_FORMAT")},
        )
    return notice


def notice_signing_refusal(deal: Deal) -> str:
    """Why the contract of this deal may not be signed yet because of its notice; "" when it may."""
    notice = getattr(deal, "price_notice", None) if deal.pk else None
    if notice is None or notice.status == N.CLEARED:
        return ""
    if notice.status == N.OBJECTED:
        return _(
            "An objection to the public notice of this deal's price is under review: the contract cannot be signed "
            "until staff resolve it."
        )
    if notice.status == N.WITHDRAWN:
        return _("The public notice of this deal's price was withdrawn.")
    if notice.ends_at > timezone.now():
        return _(
            "The agreed price is publicly noticed until %(end)s (促进科技成果转化法 art. 18): the contract can be "
            "signed after that, if no objection is under review."
        ) % {"end": date_format(timezone.localtime(notice.ends_at), "DATETIME_FORMAT")}
    return ""


def price_notice_clear_if_due(*, notice: PriceNotice) -> bool:
    """The period is over and no objection is under review: the notice is cleared and the parties are told. Call
    holding the notice's row lock (or its deal's). Idempotent: True only for the call that cleared it."""
    if notice.status != N.OPEN or notice.ends_at > timezone.now():
        return False
    notice_record(notice, N.CLEARED, None, _("The notice period ended without an objection under review."))
    if notice.ends_at == notice.starts_at:
        return True  # a period of 0 days (tests): the parties had nothing to wait for
    notice_tell_parties(
        notice,
        _("The public notice of deal #%(id)s ended without objection: the contract may now be signed.")
        % {"id": notice.deal_id},
    )
    return True


def price_notices_clear_due() -> int:
    """Periodic (deals.tasks.clear_price_notices): clear every notice whose period ended; returns how many."""
    cleared = 0
    due = PriceNotice.objects.filter(status=N.OPEN, ends_at__lte=timezone.now()).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            notice = PriceNotice.objects.select_for_update().select_related("deal__negotiation").get(pk=pk)
            cleared += price_notice_clear_if_due(notice=notice)
    return cleared


def price_notice_withdraw(*, deal: Deal, actor, reason: str) -> None:
    """The deal was cancelled (by a party, a broker, or an upheld objection): its notice, if still running, is
    withdrawn. Called by deal_cancel in its transaction."""
    notice = PriceNotice.objects.select_for_update().filter(deal=deal).first()
    if notice is None or notice.status in (N.CLEARED, N.WITHDRAWN):
        return
    notice_record(notice, N.WITHDRAWN, actor, reason)
