import factory
from factory.django import DjangoModelFactory

from marketplace.accounts.models import User
from marketplace.centres.models import CentreKind, CentreStaff, OperationCentre, StaffRole
from marketplace.core.cities import City
from marketplace.organisations.credit_code import compute_check_character
from marketplace.organisations.models import MemberRole, Membership, Organisation, OrganisationKind

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
