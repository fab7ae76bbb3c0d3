"""Deterministic, idempotent demo data: run it twice and nothing changes the second time."""

from base64 import b32decode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from indicators.models import Indicator
from indicators.services import target_set
from marketplace.accounts.selectors import consented_notice_version, privacy_notice_version
from marketplace.accounts.services import privacy_consent_record
from marketplace.centres.models import CentreStaff, OperationCentre, StaffRole
from marketplace.organisations.models import (
    STANDING_SIGNATORY_STATES,
    MemberRole,
    Membership,
    Organisation,
    Signatory,
    SignatoryCapacity,
)
from marketplace.organisations.services import signatory_nominate, signatory_verify
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
    # A verified signatory of the organisation: the demo people who accept terms, sign contracts and pay.
    signatory: bool = False


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
        signatory=True,
    ),
    DemoUser(
        "seller.nimte@demo.ipx.cn",
        "宁波材料所 成果转化处",
        organisation="中国科学院宁波材料技术与工程研究所",
        org_role=MemberRole.ADMIN,
        signatory=True,
    ),
    DemoUser(
        "buyer@demo.ipx.cn",
        "采购经理 赵磊",
        organisation="杭州数衡智能科技有限公司",
        org_role=MemberRole.ADMIN,
        signatory=True,
    ),
    # A member who is not a signatory: prepares offers and chats, and is told whom to ask to accept and pay.
    DemoUser("member@demo.ipx.cn", "研发工程师 孙悦", organisation="杭州数衡智能科技有限公司"),
)


@transaction.atomic
def seed_core() -> dict[str, int]:
    centres = _seed_centres()
    organisations = _seed_organisations(centres)
    _seed_users(centres, organisations)
    _seed_signatories(organisations)
    _seed_targets(centres)
    return {"centres": len(centres), "organisations": len(organisations), "users": len(DEMO_USERS)}


# The platform's own yearly targets, province-wide and for two city centres (invented for the demo, in proportion to
# its deals — about 2,500万元 of turnover a year — so progress reads as a real year's would; the plan's 2020 targets
# stay as they are, shown as history). Amounts in 万元.
DEMO_TARGETS_WAN = {
    None: {Indicator.TURNOVER: 3_000, Indicator.LICENSING_CONTRACTED: 400, Indicator.LICENSING_RECEIVED: 500},
    "hangzhou": {Indicator.TURNOVER: 1_200, Indicator.LICENSING_CONTRACTED: 150},
    "ningbo": {Indicator.TURNOVER: 800, Indicator.LICENSING_CONTRACTED: 100},
}
DEMO_TARGET_NOTE = "平台年度工作目标（演示）"


def _seed_targets(centres: dict[str, OperationCentre]) -> None:
    """Targets for last year and this one, so that the dashboard measures each against its own."""
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        for slug, amounts in DEMO_TARGETS_WAN.items():
            for indicator, wan in amounts.items():
                target_set(
                    indicator=indicator,
                    year=year,
                    centre=centres[slug] if slug else None,
                    amount_fen=wan * 1_000_000,
                    note=DEMO_TARGET_NOTE,
                )


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
                "size": data.get("size", ""),
                "city": data["city"],
                "address": data["address"],
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
        # The demo people signed up like anyone else: they agreed to the privacy notice in force.
        if consented_notice_version(user) != privacy_notice_version():
            privacy_consent_record(user=user, ip_address=None)
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


# A one-page PDF standing in for the authorisation letter (授权委托书) of the demo signatories.
DEMO_LETTER = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def _seed_signatories(organisations: dict[str, Organisation]) -> None:
    """Each demo organisation that has people gets its signatory, nominated with a letter by its administrator
    and verified by a broker of its centre (the provincial centre's where its own has none), through the same
    services as on the site. A person who already has a standing nomination is left as they are."""
    user_model = get_user_model()
    province_broker = user_model.objects.get(email="broker.province@demo.ipx.cn")
    for demo in DEMO_USERS:
        if not demo.signatory:
            continue
        organisation = organisations[demo.organisation]
        user = user_model.objects.get(email=demo.email)
        if Signatory.objects.filter(
            organisation=organisation, user=user, status__in=STANDING_SIGNATORY_STATES
        ).exists():
            continue
        letter = SimpleUploadedFile("授权委托书.pdf", DEMO_LETTER, content_type="application/pdf")
        signatory = signatory_nominate(
            organisation=organisation, actor=user, user=user, capacity=SignatoryCapacity.AUTHORISED, letter=letter
        )
        staff = CentreStaff.objects.filter(centre=organisation.centre).select_related("user").order_by("id").first()
        signatory_verify(signatory=signatory, actor=staff.user if staff is not None else province_broker)
