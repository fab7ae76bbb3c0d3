import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as project_settings
from django.core.management import CommandError, call_command

from marketplace.accounts.models import User
from marketplace.centres.models import CentreStaff, OperationCentre
from marketplace.organisations.credit_code import validate_credit_code
from marketplace.organisations.models import Membership, Organisation, Signatory
from marketplace.organisations.selectors import is_signatory
from portal.demo.seed import ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(OperationCentre.objects.order_by("slug").values_list("slug", "parent__slug", "is_root")),
        list(
            Organisation.objects.order_by("credit_code").values_list("credit_code", "name", "centre__slug", "verified")
        ),
        list(User.objects.order_by("email").values_list("email", "display_name")),
        list(Membership.objects.order_by("user__email").values_list("user__email", "organisation__name", "role")),
        list(CentreStaff.objects.order_by("user__email").values_list("user__email", "centre__slug", "role")),
        list(Signatory.objects.order_by("user__email").values_list("user__email", "organisation__name", "status")),
    )


def test_seed_demo_is_idempotent_and_deterministic():
    call_command("seed_demo", "--listings", "0")
    first = snapshot()
    call_command("seed_demo", "--listings", "0")
    assert snapshot() == first


def test_the_demo_people_who_accept_sign_and_pay_are_verified_signatories_and_the_plain_member_is_not():
    call_command("seed_demo", "--listings", "0")
    for demo in DEMO_USERS:
        if demo.organisation is None:
            continue
        user = User.objects.get(email=demo.email)
        assert is_signatory(user, Organisation.objects.get(name=demo.organisation)) == demo.signatory, demo.email
    assert {"seller.zju@demo.ipx.cn", "seller.nimte@demo.ipx.cn", "buyer@demo.ipx.cn"} == {
        demo.email for demo in DEMO_USERS if demo.signatory
    }
    # Verified by a broker of the organisation's own centre, with the evidence on file.
    zju = Signatory.objects.get(user__email="seller.zju@demo.ipx.cn")
    assert zju.decided_by.email == "broker.zju@demo.ipx.cn" and zju.letter.read().startswith(b"%PDF")
    assert zju.events.count() == 2


def test_seed_demo_builds_a_one_plus_x_tree_with_at_least_six_sub_centres():
    call_command("seed_demo", "--listings", "0")
    assert OperationCentre.objects.filter(is_root=True).count() == 1
    assert OperationCentre.objects.filter(is_root=False).count() >= 6
    kinds = set(OperationCentre.objects.values_list("kind", flat=True))
    assert {"city_exchange", "university", "industry_alliance"} <= kinds


def test_seed_demo_creates_thirty_zhejiang_organisations_with_valid_codes_in_every_city():
    call_command("seed_demo", "--listings", "0")
    organisations = Organisation.objects.all()
    assert organisations.count() >= 30
    assert len({org.city for org in organisations}) == 11
    for organisation in organisations:
        assert validate_credit_code(organisation.credit_code) == organisation.credit_code


def test_seed_demo_gives_every_organisation_its_registered_address_and_restores_it_on_a_second_run():
    call_command("seed_demo", "--listings", "0")
    assert Organisation.objects.get(name="浙江大学").address == "浙江省杭州市西湖区余杭塘路866号"
    assert not Organisation.objects.filter(address="").exists()
    Organisation.objects.filter(name="宁波大学").update(address="")
    call_command("seed_demo", "--listings", "0")
    assert Organisation.objects.get(name="宁波大学").address == "浙江省宁波市江北区风华路818号"


def test_every_demo_account_logs_in_with_the_password_in_the_readme(client):
    call_command("seed_demo", "--listings", "0")
    for demo in DEMO_USERS:
        password = ADMIN_PASSWORD if demo.superuser else DEMO_PASSWORD
        assert client.login(username=demo.email, password=password), demo.email


def test_demo_staff_pass_the_second_step_with_the_published_key_and_members_are_not_asked(client):
    out = StringIO()
    call_command("seed_demo", "--listings", "0", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()  # printed for whoever runs `make run`
    broker = "broker.zju@demo.ipx.cn"
    response = client.post("/accounts/login/", {"username": broker, "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/accounts/two-step/code/")
    code = StringIO()
    call_command("demo_code", stdout=code)
    response = client.post(
        "/accounts/two-step/code/", {"code": code.getvalue().strip(), "next": "/patents/moderation/"}
    )
    assert response["Location"] == "/patents/moderation/"
    assert client.get("/patents/moderation/").status_code == 200
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "buyer@demo.ipx.cn", "password": DEMO_PASSWORD})
    assert response["Location"] == "/workspace/"


def test_seed_demo_if_empty_leaves_an_existing_platform_alone():
    call_command("seed_demo", "--listings", "0")
    Organisation.objects.filter(name="浙江大学").update(verified=False)
    call_command("seed_demo", "--if-empty", "--listings", "0")
    assert not Organisation.objects.get(name="浙江大学").verified


# --- Never on a production site ------------------------------------------------------------------------------


def test_seed_demo_refuses_production_like_settings_without_the_opt_in(settings):
    settings.DEBUG, settings.DEMO_DATA_ALLOWED = False, False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED=true"):
        call_command("seed_demo", "--listings", "0")
    assert not User.objects.filter(email="admin@demo.ipx.cn").exists()
    assert not OperationCentre.objects.exists()


def test_seed_demo_runs_without_debug_when_the_site_opts_in(settings, world):
    settings.DEBUG, settings.DEMO_DATA_ALLOWED = False, True
    output = StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)
    assert "nothing to do" in output.getvalue()


def test_manage_seed_demo_under_production_settings_exits_with_the_reason(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DEMO_DATA_ALLOWED", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", "seed_demo", "--listings", "0"],
        cwd=project_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "CommandError: Refusing to load the demo data" in result.stderr
    assert "DEMO_DATA_ALLOWED=true" in result.stderr


def test_the_demo_sets_targets_for_last_year_and_this_year_and_keeps_the_plans_2020_ones(db):
    from django.utils import timezone

    from indicators.models import IndicatorTarget
    from indicators.selectors import target_history
    from portal.demo.seed import seed_core

    seed_core()
    seed_core()  # idempotent
    year = timezone.localdate().year
    province = IndicatorTarget.objects.filter(centre__isnull=True)
    assert {year - 1, year} <= set(province.filter(indicator="turnover").values_list("year", flat=True))
    # The plan's 2020 targets stay, shown as history beside this year's progress.
    assert (2020, "turnover") in {(record.year, record.indicator) for record in target_history(except_year=year)}
    assert IndicatorTarget.objects.filter(centre__slug="ningbo", year=year, indicator="turnover").count() == 1
