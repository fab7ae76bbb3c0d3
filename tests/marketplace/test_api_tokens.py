"""An organisation's administrator issues API tokens for its own systems on the organisation's page: the secret is
shown once and kept nowhere, the list tells the tokens apart, and a revoked token stops at once."""

import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.organisations.models import ApiToken
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LISTINGS = "/api/v1/organisation/listings"


def tokens_page(organisation) -> str:
    return f"/organisations/{organisation.pk}/api-tokens/"


def create(client, organisation, name="专利数据库", scopes=("listings:write", "read")):
    return client.post(tokens_page(organisation), {"name": name, "scopes": list(scopes)})


def test_an_administrator_creates_a_token_whose_secret_is_shown_once_and_stored_only_as_a_hash(world, client_for):
    client = client_for(world.seller)
    assert "api-tokens" in client.get(f"/organisations/{world.university.pk}/").text  # linked from the page

    answer = create(client, world.university)
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret">(ipx_[A-Za-z0-9_-]{43})<', answer.text).group(1)
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(value) for value in ApiToken.objects.values().get().values()}
    assert (token.prefix, token.scopes, token.created_by) == (secret[:12], ["listings:write", "read"], world.seller)

    later = client.get(tokens_page(world.university))
    assert secret not in later.text  # never again
    assert token.prefix in later.text and "专利数据库" in later.text

    system = Client(headers={"Authorization": f"Bearer {secret}"})
    assert system.get(LISTINGS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (
        timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M")
        in client.get(tokens_page(world.university)).text
    )


def test_a_revoked_token_stops_at_once_and_the_list_says_who_revoked_it(world, client_for):
    client = client_for(world.seller)
    secret = re.search(r"(ipx_[A-Za-z0-9_-]{43})", create(client, world.university).text).group(1)
    token = ApiToken.objects.get()
    answer = client.post(f"{tokens_page(world.university)}{token.pk}/revoke/")
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.seller and token.revoked_at is not None
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get(LISTINGS).status_code == 401
    page = client.get(tokens_page(world.university)).text
    assert "revoked by" in page or "撤销" in page


def test_the_centres_staff_see_and_revoke_tokens_but_do_not_create_them(world, client_for):
    create(client_for(world.seller), world.university)
    token = ApiToken.objects.get()
    client = client_for(world.ningbo_broker)
    assert token.prefix in client.get(tokens_page(world.university)).text
    assert create(client, world.university).status_code == 403
    client.post(f"{tokens_page(world.university)}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_by == world.ningbo_broker
    assert ApiToken.objects.count() == 1


def test_a_plain_member_may_neither_see_nor_create_tokens(world, client_for):
    member = MembershipFactory(organisation=world.university).user
    client = client_for(member)
    assert client.get(tokens_page(world.university)).status_code == 403
    assert create(client, world.university).status_code == 403
    assert "api-tokens" not in client.get(f"/organisations/{world.university.pk}/").text
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name_and_a_scope(world, client_for):
    answer = create(client_for(world.seller), world.university, name="", scopes=())
    assert answer.status_code == 200 and "ipx_" not in answer.text.replace("ipx_…", "")
    assert not ApiToken.objects.exists()


def test_closing_the_creators_account_revokes_the_tokens_they_created(world):
    from marketplace.accounts.services import account_close
    from marketplace.organisations.services import api_token_create

    other_admin = MembershipFactory(organisation=world.university, role="admin").user
    issued = api_token_create(organisation=world.university, actor=world.seller, name="ERP", scopes=["read"])
    world.seller.set_password("demo-2026")
    world.seller.save()
    account_close(user=world.seller, password="demo-2026")
    token = ApiToken.objects.get()
    assert token.revoked_at is not None and token.revoked_by == world.seller
    assert Client(headers={"Authorization": f"Bearer {issued.secret}"}).get(LISTINGS).status_code == 401
    assert other_admin.memberships.exists()
