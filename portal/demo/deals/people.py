"""Who acts in the demo deals: a verified signatory for each organisation (the demo accounts where the organisation
has one, else an authorised representative made the way the site makes one), and the centre staff who record and
confirm money and register contracts."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from marketplace.accounts.selectors import consented_notice_version, privacy_notice_version
from marketplace.accounts.services import privacy_consent_record
from marketplace.centres.models import CentreStaff, OperationCentre
from marketplace.organisations.models import MemberRole, Membership, Organisation, SignatoryCapacity
from marketplace.organisations.selectors import verified_signatories
from marketplace.organisations.services import signatory_nominate, signatory_verify
from portal.demo.seed import DEMO_LETTER, DEMO_PASSWORD

PROVINCE_BROKER = "broker.province@demo.ipx.cn"


def signatory_of(organisation: Organisation):
    """The person who accepts, signs and pays for the organisation in the demo deals. Made once: an administrator
    member with an authorisation letter, verified by staff of the organisation's centre (the province's where its
    own has none), through the same services as on the site."""
    standing = verified_signatories(organisation).first()
    if standing is not None:
        return standing.user
    user_model = get_user_model()
    email = f"signatory.{slugify(organisation.name_en) or organisation.credit_code.lower()}@demo.ipx.cn"
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model(email=email, display_name=f"{organisation.name} 授权代表", password=_demo_password_hash())
        user.save()
    if consented_notice_version(user) != privacy_notice_version():
        privacy_consent_record(user=user, ip_address=None)
    Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": MemberRole.ADMIN})
    letter = SimpleUploadedFile("授权委托书.pdf", DEMO_LETTER, content_type="application/pdf")
    signatory = signatory_nominate(
        organisation=organisation, actor=user, user=user, capacity=SignatoryCapacity.AUTHORISED, letter=letter
    )
    signatory_verify(signatory=signatory, actor=centre_staff(organisation.centre)[0])
    return user


@cache
def _demo_password_hash() -> str:
    """The published demo password, hashed once for all the representatives: hashing is slow on purpose (a third
    of a second), and two dozen of them would double the time the deals take to seed."""
    return make_password(DEMO_PASSWORD)


def centre_staff(centre: OperationCentre) -> list:
    """The staff who act for a centre, nearest first: its own, then those of the centres above it."""
    people = []
    while centre is not None:
        for staff in CentreStaff.objects.filter(centre=centre).select_related("user").order_by("id"):
            if staff.user not in people:
                people.append(staff.user)
        centre = centre.parent
    return people


def recorder_and_confirmer(centre: OperationCentre) -> tuple:
    """Two different staff members for the four-eyes rule on money: the nearest records a transfer (and registers
    the contract), the next one confirms it."""
    people = centre_staff(centre)
    return people[0], people[1]
