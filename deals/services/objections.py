"""Objections to a public notice of an agreed price (deals.services.notices): filed by anyone signed in during the
period, with reasons; each pauses the deal until staff of its hosting centre (or above) decide it, with a reason.
Upheld: the deal is cancelled through deal_cancel and the notice withdrawn; dismissed: the deal proceeds. A module of
its own because it builds on both the deal lifecycle (deal_cancel) and the notices, which the lifecycle uses."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import NoticeObjection, ObjectionStatus, PriceNotice, PriceNoticeEvent
from deals.models import PriceNoticeStatus as N
from deals.services.deals import deal_cancel
from deals.services.notices import notice_record, notice_tell_parties, price_notice_clear_if_due
from marketplace.centres.models import CentreStaff
from marketplace.centres.selectors import staff_scope

MIN_REASONS_LENGTH = 10


@transaction.atomic
def notice_objection_file(*, notice: PriceNotice, actor, reasons: str) -> NoticeObjection:
    """Anyone signed in objects, with reasons, while the notice is open or already objected to: the deal is paused
    (its contract cannot be signed) until staff resolve every objection under review."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to object to a notice."))
    notice = PriceNotice.objects.select_for_update().select_related("deal__negotiation").get(pk=notice.pk)
    if notice.status not in (N.OPEN, N.OBJECTED) or notice.ends_at <= timezone.now():
        raise ValidationError(_("The notice period is over: objections can no longer be filed."), code="closed")
    reasons = reasons.strip()
    if len(reasons) < MIN_REASONS_LENGTH:
        raise ValidationError(
            _("Give your reasons in at least %(n)d characters.") % {"n": MIN_REASONS_LENGTH}, code="reasons"
        )
    objection = NoticeObjection(notice=notice, filed_by=actor, reasons=reasons)
    objection.full_clean(exclude=("notice", "filed_by"), validate_constraints=False)
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        raise ValidationError(
            _("You have an objection to this notice under review already."), code="duplicate"
        ) from None
    if notice.status == N.OPEN:
        notice_record(notice, N.OBJECTED, actor, _("Objection #%(id)s filed.") % {"id": objection.pk})
    else:
        PriceNoticeEvent.objects.create(
            notice=notice,
            from_status=N.OBJECTED,
            to_status=N.OBJECTED,
            actor=actor,
            note=_("Objection #%(id)s filed.") % {"id": objection.pk},
        )
    # The hosting centre's own staff decide it: they are told with the parties.
    deciders = CentreStaff.objects.filter(centre_id=notice.centre_id).values_list("user_id", flat=True)
    notice_tell_parties(
        notice,
        _("An objection to the public notice of deal #%(id)s was filed: the deal is paused until staff resolve it.")
        % {"id": notice.deal_id},
        also=deciders,
        skip=actor,
    )
    return objection


@transaction.atomic
def notice_objection_resolve(*, objection: NoticeObjection, actor, upheld: bool, reason: str) -> NoticeObjection:
    """Staff of the deal's hosting centre (or above) decide, with a reason. Upheld: the deal is cancelled through
    deal_cancel with that reason and the notice withdrawn. Dismissed: once no other objection is under review the
    deal proceeds (cleared at once if the period is over)."""
    objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
    notice = PriceNotice.objects.select_for_update().select_related("deal__negotiation").get(pk=objection.notice_id)
    if not staff_scope(actor).covers(notice.centre_id):
        raise PermissionDenied(_("Only staff of the deal's hosting centre resolve objections."))
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection has been resolved already."), code="resolved")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the objection is upheld or dismissed."), code="reason")
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.resolution = reason
    objection.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    filer = {objection.filed_by_id}
    if upheld:
        deal_cancel(
            deal=notice.deal,
            actor=actor,
            reason=_("Objection to the public notice upheld: %(reason)s") % {"reason": reason},
        )
        # deal_cancel withdrew the notice (price_notice_withdraw); the other objections have nothing left to decide.
        notice.refresh_from_db()
        notice.objections.filter(status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.MOOT, resolved_by=actor, resolved_at=timezone.now(), resolution=reason
        )
        notice_tell_parties(
            notice,
            _("An objection to the notice of deal #%(id)s was upheld: the deal is withdrawn.") % {"id": notice.deal_id},
            also=filer,
            skip=actor,
        )
        return objection
    note = _("Objection #%(id)s dismissed: %(reason)s") % {"id": objection.pk, "reason": reason}
    if notice.objections.filter(status=ObjectionStatus.OPEN).exists():
        PriceNoticeEvent.objects.create(
            notice=notice, from_status=N.OBJECTED, to_status=N.OBJECTED, actor=actor, note=note
        )
    elif notice.status == N.OBJECTED:
        notice_record(notice, N.OPEN, actor, note)
        price_notice_clear_if_due(notice=notice)
    else:
        PriceNoticeEvent.objects.create(
            notice=notice, from_status=notice.status, to_status=notice.status, actor=actor, note=note
        )
    notice_tell_parties(
        notice,
        _("An objection to the notice of deal #%(id)s was dismissed: the deal proceeds.") % {"id": notice.deal_id},
        also=filer,
        skip=actor,
    )
    return objection
