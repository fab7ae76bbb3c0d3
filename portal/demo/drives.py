"""One finished matching drive of the provincial centre: 浙江大学's idle listings pushed to the province's verified
firms, three listings each, made through the drives' own services. Some firms opened their digest, three
enquired from it and one of them proposed terms, so the drive's funnel shows figures on first run.

Idempotent: a drive of this title is made once; a second run finds it and adds nothing. The digests' mail is
delivered by the task runner, as for any drive.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from deals.services.negotiations import negotiation_open, offer_propose
from drives.criteria import ListingCriteria, TargetCriteria
from drives.models import Drive, DriveRecipient
from drives.services import digest_open, drive_create, drive_pairs_write, drive_send
from listings.models import ListingTerms, Mode
from marketplace.centres.models import OperationCentre
from marketplace.organisations.models import Organisation
from portal.demo.deals.people import signatory_of

DEMO_DRIVE_TITLE = "浙江大学存量专利盘活·精准推送（第一期）"
DEMO_DRIVE_MESSAGE = (
    "浙江省知识产权交易中心联合浙江大学，为省内科技型企业精选了一批可许可、可转让的存量专利。询价免费，欢迎联系。"
)
UNIVERSITY = "浙江大学"
PROVINCE_BROKER = "broker.province@demo.ipx.cn"
OPENED_SHARE = 0.6  # of the firms reached, these opened their digest
ENQUIRING_FIRMS = 3  # of those, these enquired on their first listing; the first of them also proposed terms
DEMO_LICENCE_TERMS = {
    "licence_type": "ordinary",
    "territory": "中国大陆",
    "field_of_use": "自有产品",
    "term_years": 3,
    "upfront_fee_fen": 8_000_000,
    "payment_mode": "fixed",
}


@dataclass(frozen=True)
class DriveSeeded:
    created: bool
    firms: int = 0
    skipped_reason: str = ""


def seed_drive() -> DriveSeeded:
    existing = Drive.objects.filter(title=DEMO_DRIVE_TITLE).first()
    if existing is not None:
        return DriveSeeded(False, existing.recipients.count())
    university = Organisation.objects.filter(name=UNIVERSITY).first()
    broker = get_user_model().objects.filter(email=PROVINCE_BROKER).first()
    root = OperationCentre.objects.filter(is_root=True).first()
    if university is None or broker is None or root is None:
        return DriveSeeded(False, 0, "the demo centres and people are missing")
    with transaction.atomic():
        try:
            drive = drive_create(
                actor=broker,
                centre=root,
                title=DEMO_DRIVE_TITLE,
                message=DEMO_DRIVE_MESSAGE,
                listing_criteria=ListingCriteria(seller_ids=[university.pk], idle_only=True),
                target_criteria=TargetCriteria(),
                listings_per_firm=3,
            )
        except ValidationError:  # no listing of the university on the market: a demo seeded without listings
            return DriveSeeded(False, 0, "no listing of the university on the market")
        drive_send(drive=drive, actor=broker)  # the runner's delivery is enqueued after commit
        drive = drive_pairs_write(drive_id=drive.pk)
        recipients = list(DriveRecipient.objects.filter(drive=drive).select_related("organisation").order_by("pk"))
        opened = recipients[: round(len(recipients) * OPENED_SHARE)]
        for recipient in opened:
            digest_open(recipient=recipient, viewer=None)  # through the mail's link
        enquired = 0
        for recipient in opened:
            if enquired >= ENQUIRING_FIRMS:
                break
            if _enquire(recipient, propose=enquired == 0):
                enquired += 1
    return DriveSeeded(True, len(recipients))


def _enquire(recipient: DriveRecipient, *, propose: bool) -> bool:
    """The firm enquires from its digest on the first listing that offers a licence; the first one also puts
    terms on the table. False if none of its listings offers one."""
    for pair in recipient.pairs.select_related("listing").order_by("position"):
        if not ListingTerms.objects.filter(listing=pair.listing, mode=Mode.LICENCE, is_open=True).exists():
            continue
        person = signatory_of(recipient.organisation)
        negotiation = negotiation_open(
            listing=pair.listing,
            mode=Mode.LICENCE,
            actor=person,
            buyer=recipient.organisation,
            message=f"收到交易中心的推送，我们对「{pair.listing.title}」感兴趣，想了解普通许可的条件。",
        )
        if propose:
            offer_propose(negotiation=negotiation, actor=person, terms=DEMO_LICENCE_TERMS)
        return True
    return False
