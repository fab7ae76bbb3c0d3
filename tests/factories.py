import factory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from marketplace.accounts.models import User
from marketplace.accounts.selectors import authenticator_of, second_factor_required
from marketplace.centres.models import CentreKind, CentreStaff, OperationCentre, StaffRole
from marketplace.core.cities import City
from marketplace.organisations.credit_code import compute_check_character
from marketplace.organisations.models import (
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    Signatory,
    SignatoryCapacity,
    SignatoryStatus,
)

TEST_PASSWORD = "correct-horse-battery"


def make_credit_code(serial: int, prefix: str = "91330100") -> str:
    """A valid credit code for tests: a fixed prefix, a serial, and the computed check character."""
    first17 = f"{prefix}{serial:09d}"
    return first17 + compute_check_character(first17)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def persist(self, create, extracted, **kwargs):
        if create:
            self.save()


def authenticator_for(user) -> TOTPDevice:
    """The person's confirmed authenticator app, set up if they have none (a random key, as on the site)."""
    return authenticator_of(user) or TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def sign_in(client, user):
    """Log the test client in as `user` the whole way, both steps: Django's force_login for the password, and for
    staff and brokers the second step too, on a real confirmed authenticator (what django_otp.login writes into
    the session). The enforcement stays on: a session with the first step only is held at the second
    (tests/marketplace/test_second_factor.py)."""
    client.force_login(user)
    if second_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        session.save()
    return client


class RootCentreFactory(DjangoModelFactory):
    class Meta:
        model = OperationCentre
        django_get_or_create = ("slug",)

    name = "浙江省知识产权交易中心"
    slug = "zhejiang"
    kind = CentreKind.PROVINCIAL
    city = City.HANGZHOU
    parent = None
    is_root = True


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = OperationCentre

    name = factory.Sequence(lambda n: f"运营中心{n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    kind = CentreKind.CITY_EXCHANGE
    city = City.NINGBO
    parent = factory.SubFactory(RootCentreFactory)
    is_root = False


class CentreStaffFactory(DjangoModelFactory):
    class Meta:
        model = CentreStaff

    centre = factory.SubFactory(CentreFactory)
    user = factory.SubFactory(UserFactory)
    role = StaffRole.BROKER


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    kind = OrganisationKind.ENTERPRISE
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1000))
    city = City.HANGZHOU
    centre = factory.SubFactory(RootCentreFactory)
    verified = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER


AUTHORISATION_LETTER = b"%PDF-1.7\n%authorisation letter\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class SignatoryFactory(DjangoModelFactory):
    """A verified signatory, as if nominated with a letter and verified by the organisation's centre."""

    class Meta:
        model = Signatory

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    capacity = SignatoryCapacity.AUTHORISED
    status = SignatoryStatus.VERIFIED
    letter = factory.django.FileField(filename="授权委托书.pdf", data=AUTHORISATION_LETTER)
    letter_name = "授权委托书.pdf"
    nominated_by = factory.SelfAttribute("user")
    decided_at = factory.LazyFunction(timezone.now)


def signatory_member(organisation, *, role: str = MemberRole.ADMIN, **user_fields):
    """A member of the organisation who may bind it (a verified signatory): the person of a test who accepts terms,
    signs contracts and pays for the organisation. Plain members (MembershipFactory) only prepare."""
    user = UserFactory(**user_fields)
    MembershipFactory(organisation=organisation, user=user, role=role)
    SignatoryFactory(organisation=organisation, user=user)
    return user


# --- Listings ---------------------------------------------------------------------------------------------


def make_application_number(serial: int, year: int = 2019, type_digit: int = 1) -> str:
    """A valid normalised application number, e.g. 201910000042.X."""
    from listings.patents.numbers import compute_check_digit

    digits = f"{year}{type_digit}{serial:07d}"
    return f"{digits}.{compute_check_digit(digits)}"


class PatentFactory(DjangoModelFactory):
    class Meta:
        model = "listings.Patent"
        skip_postgeneration_save = True

    application_number = factory.Sequence(lambda n: make_application_number(n + 1))
    patent_type = "invention"
    title = factory.Sequence(lambda n: f"一种高能量密度锂电池正极材料的制备方法{n}")
    abstract = "本发明公开了一种锂电池正极材料的制备方法，使电池能量密度提高至300Wh/kg。"
    first_claim = "1. 一种锂电池正极材料的制备方法，其特征在于……"
    ipc_codes = factory.LazyFunction(lambda: ["H01M 4/525", "H01M 10/0525"])
    main_ipc = "H01M 4/525"
    filing_date = factory.LazyFunction(lambda: __import__("datetime").date(2019, 3, 1))
    grant_date = factory.LazyFunction(lambda: __import__("datetime").date(2021, 6, 1))
    legal_status = "granted"
    applicant_names = factory.LazyFunction(list)
    inventors = factory.LazyFunction(lambda: ["张伟", "李娜"])

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        """PatentFactory(owners=[organisation]) makes them applicants (linked and by name)."""
        if create and extracted:
            self.applicant_names = [organisation.name for organisation in extracted]
            self.save()
            self.applicants.set(extracted)


class ListingFactory(DjangoModelFactory):
    """A draft listing of one patent owned by the seller, offering an ordinary licence."""

    class Meta:
        model = "listings.Listing"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"高能量密度锂电池正极材料技术{n}")
    summary = "这项技术让电动汽车电池充一次电跑得更远：能量密度从250Wh/kg提高到300Wh/kg，成本不增加，已完成中试。"
    seller = factory.SubFactory(OrganisationFactory)
    centre = factory.LazyAttribute(lambda listing: listing.seller.centre)
    status = "draft"

    @factory.post_generation
    def with_patent(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from listings.models import ListingPatent, ListingTerms

        patent = extracted or PatentFactory(owners=[self.seller])
        ListingPatent.objects.create(listing=self, patent=patent)
        ListingTerms.objects.create(listing=self, mode="licence", licence_types=["ordinary"], upfront_fee_fen=5_000_000)


def listing_publish(listing, *, seller_user, broker):
    """Submit (as the seller's member) and publish (as a broker of the hosting centre) through the listing
    service, so the listing is reviewed, announced and indexed like any other."""
    from listings.models import ListingStatus
    from listings.services import listing_set_status

    listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=seller_user)
    return listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=broker)


def listing_on_market(*, seller, seller_user, broker, patent=None, licence: dict | None = None, terms=(), **fields):
    """A published listing of one patent of the seller's. It offers ListingFactory's ordinary licence (with the
    changes in `licence`) and the other `terms` rows given ({"mode": "transfer", "price_fen": ...})."""
    from listings.models import ListingTerms

    listing = ListingFactory(
        seller=seller, with_patent=patent or PatentFactory(owners=[seller]), created_by=seller_user, **fields
    )
    if licence:
        ListingTerms.objects.filter(listing=listing, mode="licence").update(**licence)
    for row in terms:
        ListingTerms.objects.create(listing=listing, **row)
    return listing_publish(listing, seller_user=seller_user, broker=broker)
