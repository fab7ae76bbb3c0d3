"""Deterministic, idempotent demo data: run it twice and nothing changes the second time."""

from base64 import b32decode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.centres.models import CentreStaff, OperationCentre, StaffRole
from marketplace.organisations.models import MemberRole, Membership, Organisation
from portal.demo.centres import CENTRE_FOR_CITY, CENTRE_FOR_ORGANISATION, CENTRES
from portal.demo.organisations import ORGANISATIONS

# Published in the README: these accounts exist only in demo data.
DEMO_PASSWORD = "demo-2026"  # noqa: S105
ADMIN_PASSWORD = "admin-2026"  # noqa: S105
# The demo staff and brokers' authenticator key for the second step at log-in (docs/accounts.md), published like
# their password: add it to any authenticator app, or print the current code with `manage.py demo_code`.
DEMO_TOTP_SECRET = "DEMOIPXZHEJIANGTWOSTEPLOGINCODES"  # noqa: S105 - base32, as authenticator apps take it
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET)
# Organisations left unverified, so the verification queue has work in it.
UNVERIFIED = {"杭州澜芯微电子有限公司", "丽水瓯江生态农业科技有限公司", "舟山定海船舶装备有限公司"}


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation: str | None = None
    org_role: str = MemberRole.MEMBER
    centre: str | None = None
    centre_role: str = StaffRole.BROKER
    superuser: bool = False


DEMO_USERS = (
    DemoUser("admin@demo.ipx.cn", "平台管理员", centre="zhejiang", centre_role=StaffRole.ADMIN, superuser=True),
    DemoUser("broker.province@demo.ipx.cn", "省中心经纪人 王敏", centre="zhejiang"),
    DemoUser("broker.hangzhou@demo.ipx.cn", "杭州经纪人 李强", centre="hangzhou"),
    DemoUser("broker.ningbo@demo.ipx.cn", "宁波经纪人 陈静", centre="ningbo"),
    DemoUser("broker.zju@demo.ipx.cn", "浙大技术经理人 周洋", centre="zju-ttc"),
    DemoUser(
        "seller.zju@demo.ipx.cn",
        "浙江大学 技术转移办公室",
        organisation="浙江大学",
        org_role=MemberRole.ADMIN,
    ),
    DemoUser(
        "seller.nimte@demo.ipx.cn",
        "宁波材料所 成果转化处",
        organisation="中国科学院宁波材料技术与工程研究所",
        org_role=MemberRole.ADMIN,
    ),
    DemoUser(
        "buyer@demo.ipx.cn",
        "采购经理 赵磊",
        organisation="杭州数衡智能科技有限公司",
        org_role=MemberRole.ADMIN,
    ),
    DemoUser("member@demo.ipx.cn", "研发工程师 孙悦", organisation="杭州数衡智能科技有限公司"),
)


@transaction.atomic
def seed_core() -> dict[str, int]:
    centres = _seed_centres()
    organisations = _seed_organisations(centres)
    _seed_users(centres, organisations)
    return {"centres": len(centres), "organisations": len(organisations), "users": len(DEMO_USERS)}


def _seed_centres() -> dict[str, OperationCentre]:
    centres: dict[str, OperationCentre] = {}
    for slug, name, name_en, kind, city, parent_slug in CENTRES:
        parent = centres[parent_slug] if parent_slug else None
        centre, _created = OperationCentre.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "city": city,
                "parent": parent,
                "is_root": parent is None,
            },
        )
        centres[slug] = centre
    return centres


def _seed_organisations(centres: dict[str, OperationCentre]) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for data in ORGANISATIONS:
        centre_slug = CENTRE_FOR_ORGANISATION.get(data["name"]) or CENTRE_FOR_CITY.get(data["city"], "zhejiang")
        organisation, _created = Organisation.objects.update_or_create(
            credit_code=data["credit_code"],
            defaults={
                "name": data["name"],
                "name_en": data["name_en"],
                "kind": data["kind"],
                "city": data["city"],
                "centre": centres[centre_slug],
                "verified": data["name"] not in UNVERIFIED,
            },
        )
        organisations[data["name"]] = organisation
    return organisations


def _seed_users(centres: dict[str, OperationCentre], organisations: dict[str, Organisation]) -> None:
    user_model = get_user_model()
    for demo in DEMO_USERS:
        user = user_model.objects.filter(email=demo.email).first()
        if user is None:
            user = user_model(email=demo.email)
            user.set_password(ADMIN_PASSWORD if demo.superuser else DEMO_PASSWORD)
        user.display_name = demo.name
        user.is_superuser = demo.superuser
        user.is_staff = demo.superuser
        user.save()
        if demo.centre:
            CentreStaff.objects.update_or_create(
                centre=centres[demo.centre], user=user, defaults={"role": demo.centre_role}
            )
        if demo.superuser or demo.centre:
            # Staff pass a second step at log-in: the demo gives them an authenticator with the published key.
            TOTPDevice.objects.update_or_create(
                user=user, name="authenticator app", defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True}
            )
        if demo.organisation:
            Membership.objects.update_or_create(
                organisation=organisations[demo.organisation], user=user, defaults={"role": demo.org_role}
            )
