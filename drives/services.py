"""Every write to matching drives. Views and tasks call these; nothing writes around them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drives.criteria import ListingCriteria, TargetCriteria
from drives.models import MAX_LISTINGS_PER_FIRM, Drive, DrivePair, DriveRecipient, DriveStatus
from drives.pairing import centre_scope, drive_plan, listing_candidate_ids
from drives.signals import drive_sent
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of


def _require_staff_of(centre: OperationCentre, actor) -> None:
    if not staff_scope(actor).covers(centre.pk):
        raise PermissionDenied(_("Only staff of this operation centre (or of a centre above it) may do this."))


def _require_draft(drive: Drive) -> None:
    if drive.status != DriveStatus.DRAFT:
        raise ValidationError(_("This drive has been sent: it can no longer be changed."), code="not_draft")


def _chosen_listing_ids(centre: OperationCentre, criteria: ListingCriteria) -> list[int]:
    ids = listing_candidate_ids(centre_scope(centre), criteria)
    if not ids:
        raise ValidationError(
            {"listing_criteria": _("No listing on the market matches these criteria.")}, code="no_listings"
        )
    return ids


@transaction.atomic
def drive_create(
    *,
    actor,
    centre: OperationCentre,
    title: str,
    message: str = "",
    listing_criteria: ListingCriteria,
    target_criteria: TargetCriteria,
    listings_per_firm: int,
) -> Drive:
    """A member of a centre's staff starts a drive: the listings its criteria find (hosted by the centre and
    below, on the market) are all chosen at first; the firms follow from the targets when it is previewed and
    sent. Refused, with nothing saved, when no listing matches."""
    _require_staff_of(centre, actor)
    if not 1 <= listings_per_firm <= MAX_LISTINGS_PER_FIRM:
        raise ValidationError(
            {"listings_per_firm": _("Between 1 and %(max)d listings per firm.") % {"max": MAX_LISTINGS_PER_FIRM}}
        )
    drive = Drive(
        centre=centre,
        title=title.strip(),
        message=message.strip(),
        created_by=actor,
        listing_criteria=listing_criteria.as_dict(),
        target_criteria=target_criteria.as_dict(),
        listings_per_firm=listings_per_firm,
    )
    drive.listing_ids = _chosen_listing_ids(centre, listing_criteria)
    drive.full_clean()
    drive.save()
    return drive


@transaction.atomic
def drive_choose_listings(*, drive: Drive, actor, listing_ids: list[int]) -> Drive:
    """Keep only these of the listings the drive's criteria find (the staff unticked the others)."""
    drive = Drive.objects.select_for_update().select_related("centre").get(pk=drive.pk)
    _require_staff_of(drive.centre, actor)
    _require_draft(drive)
    found = _chosen_listing_ids(drive.centre, ListingCriteria.of(drive.listing_criteria))
    wanted = {int(pk) for pk in listing_ids}
    kept = [pk for pk in found if pk in wanted]
    if not kept:
        raise ValidationError(_("Keep at least one listing."), code="no_listings")
    drive.listing_ids = kept
    drive.full_clean()
    drive.save()
    return drive


@transaction.atomic
def drive_send(*, drive: Drive, actor) -> Drive:
    """Staff send the drive: it becomes "sending", and the task runner writes the pairs and delivers one digest
    to each firm (drives.tasks.send_drive). A drive that is already sending or sent is left as it is, so a second
    press sends nothing more. Refused when, as things are now, no firm would receive anything."""
    drive = Drive.objects.select_for_update().select_related("centre").get(pk=drive.pk)
    _require_staff_of(drive.centre, actor)
    if drive.status != DriveStatus.DRAFT:
        return drive
    if not drive_plan(drive).firms:
        raise ValidationError(
            _("No firm would receive anything: widen the targets or choose other listings."), code="empty"
        )
    drive.status = DriveStatus.SENDING
    drive.sent_by = actor
    drive.full_clean()
    drive.save()
    drive_sent.send(sender=Drive, drive=drive)  # drives.receivers: to the task runner, after commit
    return drive


def drive_pairs_write(*, drive_id: int) -> Drive:
    """Write a sending drive's recipients and pairs, as the plan says now, and mark it sent. Idempotent: a drive
    already sent is returned as it is. Two drives sending at once may both pick a listing for the same firm; the
    database refuses the second pair (DrivePair's never-twice constraint) and the plan is made again."""
    for _attempt in range(3):
        try:
            return _drive_pairs_write(drive_id)
        except IntegrityError:
            continue
    return _drive_pairs_write(drive_id)


@transaction.atomic
def _drive_pairs_write(drive_id: int) -> Drive:
    drive = Drive.objects.select_for_update().select_related("centre").get(pk=drive_id)
    if drive.status != DriveStatus.SENDING:
        return drive
    plan = drive_plan(drive)
    recipients = DriveRecipient.objects.bulk_create(
        [DriveRecipient(drive=drive, organisation=firm_plan.firm) for firm_plan in plan.firms], batch_size=500
    )
    pairs = [
        DrivePair(
            drive=drive,
            recipient=recipient,
            organisation=firm_plan.firm,
            listing=pair.listing,
            score=pair.score,
            reason=pair.reason,
            reason_detail=pair.reason_detail,
            position=position,
        )
        for recipient, firm_plan in zip(recipients, plan.firms, strict=True)
        for position, pair in enumerate(firm_plan.pairs)
    ]
    DrivePair.objects.bulk_create(pairs, batch_size=1000)
    drive.status = DriveStatus.SENT
    drive.sent_at = timezone.now()
    drive.full_clean()
    drive.save()
    return drive


@transaction.atomic
def digest_mark_delivered(*, recipient_id: int, mailed_to: int) -> bool:
    """Record that a firm's digest went out; False if it had already (the task then sends nothing)."""
    updated = DriveRecipient.objects.filter(pk=recipient_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), mailed_to=mailed_to
    )
    return bool(updated)


def digest_open(*, recipient: DriveRecipient, viewer) -> bool:
    """Someone opened a firm's digest. The first opening by a member of the firm, or through the mail's link by
    someone not signed in, is recorded; staff looking at it are not the firm and count for nothing. True if this
    was the first opening."""
    if viewer is not None and viewer.is_authenticated and recipient.organisation_id not in organisation_ids_of(viewer):
        return False
    now = timezone.now()
    updated = DriveRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(opened_at=now)
    if updated:
        recipient.opened_at = now
    return bool(updated)
