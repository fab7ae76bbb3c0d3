"""A university's or a firm's own system keeps its listings and demands in step through the write API, with an
organisation token: the same rules as the workspace forms, the same moderation, nothing else of anybody else."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from config.api import api
from demands.models import Demand, DemandEvent, DemandStatus
from demands.selectors import demand_moderation_queue
from listings.models import Listing, ListingEvent, ListingStatus, Patent
from listings.selectors import moderation_queue
from marketplace.organisations.models import ApiScope, ApiToken
from marketplace.organisations.services import api_token_create, api_token_revoke
from tests.factories import CentreStaffFactory, ListingFactory, MembershipFactory, make_application_number

pytestmark = pytest.mark.django_db

LISTINGS = "/api/v1/organisation/listings"
DEMANDS = "/api/v1/organisation/demands"
ALL_SCOPES = [ApiScope.LISTINGS_WRITE, ApiScope.DEMANDS_WRITE, ApiScope.READ]


@pytest.fixture(autouse=True)
def no_rate_limit_counts():
    cache.clear()
    yield
    cache.clear()


def token_for(organisation, user, scopes=ALL_SCOPES, name="专利管理系统") -> str:
    return api_token_create(organisation=organisation, actor=user, name=name, scopes=list(scopes)).secret


class System:
    """An organisation's system: a JSON client with its bearer token, and no session, no CSRF cookie."""

    def __init__(self, secret: str):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path, **query):
        return self.client.get(path, query, headers=self.headers)

    def send(self, method: str, path: str, body=None, **headers):
        return self.client.generic(
            method,
            path,
            data=__import__("json").dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post(self, path, body=None, **headers):
        return self.send("POST", path, body, **headers)

    def patch(self, path, body):
        return self.send("PATCH", path, body)


@pytest.fixture
def university_system(world):
    return System(token_for(world.university, world.seller))


def listing_body(world, serial=701, **overrides) -> dict:
    body = {
        "title": "室温高电导固态电解质",
        "summary": "固态电池的关键材料：室温离子电导率1.2mS/cm，是常见氧化物电解质的3倍，可在现有产线上制备。",
        "maturity": "pilot",
        "application_fields": "动力电池；储能",
        "asking_price_fen": 150_000_000,
        "price_negotiable": True,
        "patent": {
            "application_number": "ZL " + make_application_number(serial, year=2019),
            "patent_type": "invention",
            "title": "一种固态电解质及其制备方法",
            "abstract": "本发明提供一种固态电解质，室温离子电导率达到1.2mS/cm。",
            "ipc_codes": ["H01M 10/0562", "H01M 10/0525"],
            "filing_date": "2019-05-06",
            "grant_date": "2021-08-10",
            "legal_status": "granted",
            "applicant_names": [world.university.name],
            "inventors": ["王磊", "陈静"],
        },
        "terms": [
            {
                "mode": "licence",
                "licence_types": ["ordinary", "exclusive"],
                "upfront_fee_fen": 20_000_000,
                "royalty_rate": 3.5,
            },
            {"mode": "transfer", "price_fen": 150_000_000},
        ],
    }
    body.update(overrides)
    return body


def demand_body(**overrides) -> dict:
    body = {
        "title": "电动叉车低温续航衰减",
        "description": "我们的电动叉车在零下10度时续航下降近一半，希望找到改善低温性能的电解液或电池管理技术。",
        "field": "H",
        "ipc_codes": ["h01m"],
        "deal_kinds": ["licence", "joint_development"],
        "budget_min_fen": 50_000_000,
        "budget_max_fen": 200_000_000,
        "city": "ningbo",
        "deadline": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "contact_policy": "open",
    }
    body.update(overrides)
    return body


# --- Listings: create, change, submit; the centre's queue ---------------------------------------------------------


def test_a_university_system_creates_changes_and_submits_a_listing_which_then_waits_for_its_centre(
    world, university_system
):
    created = university_system.post(LISTINGS, listing_body(world))
    assert created.status_code == 201, created.content
    listing = Listing.objects.get(pk=created.json()["id"])
    assert (listing.status, listing.seller, listing.centre) == (ListingStatus.DRAFT, world.university, world.ningbo)
    assert listing.created_by == world.seller  # the audit names the person who issued the token
    assert listing.asking_price_fen == 150_000_000
    licence = listing.terms.get(mode="licence")
    assert (licence.upfront_fee_fen, str(licence.royalty_rate)) == (20_000_000, "3.50")
    assert created.json()["patents"][0]["application_number"] == make_application_number(701, year=2019)

    changed = university_system.patch(
        f"{LISTINGS}/{listing.pk}",
        {"summary": "改写后的简介：室温离子电导率1.2mS/cm，可在现有产线上制备。", "title_en": "Solid electrolyte"},
    )
    assert changed.status_code == 200, changed.content
    listing.refresh_from_db()
    assert listing.summary.startswith("改写后的简介") and listing.title_en == "Solid electrolyte"
    assert listing.title == "室温高电导固态电解质"  # what was not sent stays

    submitted = university_system.post(f"{LISTINGS}/{listing.pk}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert list(moderation_queue(world.ningbo_broker)) == [listing]
    event = ListingEvent.objects.get(listing=listing, to_status=ListingStatus.SUBMITTED)
    assert event.actor == world.seller and "API token ipx_" in event.note

    # Moderation is unchanged: the token cannot publish; the centre's broker does.
    assert university_system.get(f"{LISTINGS}/{listing.pk}").json()["status"] == "submitted"
    assert Listing.objects.get(pk=listing.pk).published_at is None


def test_the_terms_when_sent_replace_the_whole_offer(world, university_system):
    listing_id = university_system.post(LISTINGS, listing_body(world)).json()["id"]
    answer = university_system.patch(
        f"{LISTINGS}/{listing_id}", {"terms": [{"mode": "equity", "appraised_value_fen": 9_900}]}
    )
    assert answer.status_code == 200, answer.content
    assert [terms["mode"] for terms in answer.json()["terms"]] == ["equity"]


def test_a_listing_is_withdrawn_and_its_list_shows_every_status(world, university_system):
    first = university_system.post(LISTINGS, listing_body(world, serial=702)).json()["id"]
    university_system.post(LISTINGS, listing_body(world, serial=703))
    assert university_system.post(f"{LISTINGS}/{first}/withdraw").json()["status"] == "withdrawn"
    everything = university_system.get(LISTINGS).json()
    assert everything["total"] == 2
    assert {row["status"] for row in everything["results"]} == {"withdrawn", "draft"}
    assert university_system.get(LISTINGS, status="draft").json()["total"] == 1


def test_a_bad_patent_number_is_refused_field_by_field_and_nothing_is_saved(world, university_system):
    number = make_application_number(704, year=2019)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    body = listing_body(world, asking_price_fen=-5, title="")
    body["patent"]["application_number"] = wrong
    body["terms"] = [{"mode": "licence", "licence_types": [], "price_fen": 100}]
    answer = university_system.post(LISTINGS, body)
    assert answer.status_code == 422
    named = {error["parameter"] for error in answer.json()["errors"]}
    assert "asking_price_fen" in named  # the schema's bound, before any form
    body["asking_price_fen"] = 100
    answer = university_system.post(LISTINGS, body)
    assert answer.status_code == 422
    errors = {error["parameter"]: error["reason"] for error in answer.json()["errors"]}
    assert number[-1] in errors["patent.application_number"]  # the expected check digit, as the form says
    assert "title" in errors and "terms.0.licence_types" in errors and "terms.0.price_fen" in errors
    assert not Listing.objects.exists() and not Patent.objects.exists()


def test_a_filing_date_that_does_not_match_the_number_is_refused_by_the_service_and_saves_nothing(
    world, university_system
):
    body = listing_body(world, serial=705)
    body["patent"]["filing_date"] = "2020-01-02"
    answer = university_system.post(LISTINGS, body)
    assert answer.status_code == 422
    assert any("2019" in error["reason"] for error in answer.json()["errors"])
    assert not Listing.objects.exists() and not Patent.objects.exists()


def test_a_listing_without_terms_cannot_be_submitted(world, university_system):
    listing_id = university_system.post(LISTINGS, listing_body(world, serial=706, terms=[])).json()["id"]
    answer = university_system.post(f"{LISTINGS}/{listing_id}/submit")
    assert answer.status_code == 422
    assert Listing.objects.get(pk=listing_id).status == ListingStatus.DRAFT


# --- Demands -----------------------------------------------------------------------------------------------------


def test_a_firm_system_creates_changes_submits_and_closes_a_demand(world):
    firm = System(token_for(world.enterprise, world.buyer, scopes=[ApiScope.DEMANDS_WRITE]))
    created = firm.post(DEMANDS, demand_body())
    assert created.status_code == 201, created.content
    demand = Demand.objects.get(pk=created.json()["id"])
    assert (demand.status, demand.organisation, demand.centre) == ("draft", world.enterprise, world.ningbo_alliance)
    assert demand.ipc_codes == ["H01M"] and demand.budget_max_fen == 200_000_000

    changed = firm.patch(f"{DEMANDS}/{demand.pk}", {"budget_max_fen": 300_000_000, "deal_kinds": ["transfer"]})
    assert changed.status_code == 200, changed.content
    demand.refresh_from_db()
    assert (demand.budget_max_fen, demand.deal_kinds, demand.budget_min_fen) == (300_000_000, ["transfer"], 50_000_000)

    assert firm.post(f"{DEMANDS}/{demand.pk}/submit").json()["status"] == "submitted"
    assert list(demand_moderation_queue(world.alliance_broker)) == [demand]
    assert DemandEvent.objects.get(demand=demand, to_status="submitted").actor == world.buyer
    closed = firm.post(f"{DEMANDS}/{demand.pk}/close", {"close_reason": "withdrawn"})
    assert closed.json()["status"] == "closed" and closed.json()["close_reason"] == "withdrawn"
    assert [row["id"] for row in firm.get(DEMANDS).json()["results"]] == [demand.pk]


def test_a_demand_with_its_budget_upside_down_and_a_past_deadline_is_refused_and_not_saved(world):
    firm = System(token_for(world.enterprise, world.buyer))
    body = demand_body(budget_min_fen=500, budget_max_fen=100, deadline="2020-01-01", deal_kinds=[])
    answer = firm.post(DEMANDS, body)
    assert answer.status_code == 422
    named = {error["parameter"] for error in answer.json()["errors"]}
    assert {"budget_max_fen", "deadline", "deal_kinds"} <= named
    assert not Demand.objects.exists()


def test_an_unverified_organisation_cannot_post_a_demand(world):
    world.enterprise.verified = False
    world.enterprise.save()
    answer = System(token_for(world.enterprise, world.buyer)).post(DEMANDS, demand_body())
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["parameter"] == "organisation"
    assert not Demand.objects.exists()


# --- Idempotency ---------------------------------------------------------------------------------------------------


def test_a_retried_create_with_the_same_idempotency_key_creates_nothing_twice(world, university_system):
    key = str(uuid.uuid4())
    first = university_system.post(LISTINGS, listing_body(world, serial=707), **{"Idempotency-Key": key})
    again = university_system.post(LISTINGS, listing_body(world, serial=707), **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Listing.objects.count() == 1
    other = university_system.post(LISTINGS, listing_body(world, serial=708), **{"Idempotency-Key": key})
    assert other.status_code == 422 and other.json()["errors"][0]["parameter"] == "Idempotency-Key"
    assert Listing.objects.count() == 1


def test_a_refused_create_keeps_no_key_so_the_corrected_retry_goes_through(world):
    firm = System(token_for(world.enterprise, world.buyer))
    key = "order-2026-0001"
    assert firm.post(DEMANDS, demand_body(deal_kinds=[]), **{"Idempotency-Key": key}).status_code == 422
    assert firm.post(DEMANDS, demand_body(), **{"Idempotency-Key": key}).status_code == 201
    assert firm.post(DEMANDS, demand_body(), **{"Idempotency-Key": key}).status_code == 201
    assert Demand.objects.count() == 1


# --- Who: another organisation, revoked tokens, scopes, rate -------------------------------------------------------


def test_another_organisations_listing_or_demand_is_not_found(world, university_system):
    others = ListingFactory(seller=world.other_enterprise, centre=world.hangzhou)
    firm = System(token_for(world.enterprise, world.buyer))
    demand_id = firm.post(DEMANDS, demand_body()).json()["id"]
    assert university_system.get(f"{LISTINGS}/{others.pk}").status_code == 404
    assert university_system.patch(f"{LISTINGS}/{others.pk}", {"title": "改"}).status_code == 404
    assert university_system.post(f"{LISTINGS}/{others.pk}/withdraw").status_code == 404
    assert university_system.get(f"{DEMANDS}/{demand_id}").status_code == 404
    assert university_system.post(f"{DEMANDS}/{demand_id}/close", {"close_reason": "solved"}).status_code == 404
    assert Demand.objects.get(pk=demand_id).status == DemandStatus.DRAFT
    assert Listing.objects.get(pk=others.pk).status == others.status


def test_a_token_acts_as_a_member_of_its_organisation_only_even_when_its_creator_is_also_a_broker(world):
    """The creator also belongs to another organisation and is staff of the Ningbo centre: the token sees neither."""
    MembershipFactory(organisation=world.other_enterprise, user=world.seller)
    CentreStaffFactory(centre=world.ningbo, user=world.seller)
    elsewhere = ListingFactory(seller=world.other_enterprise, centre=world.hangzhou)
    system = System(token_for(world.university, world.seller))
    assert system.get(f"{LISTINGS}/{elsewhere.pk}").status_code == 404
    assert system.get(LISTINGS).json()["total"] == 0


def test_a_revoked_or_unknown_token_is_refused_with_401_and_the_reason(world):
    issued = api_token_create(organisation=world.university, actor=world.seller, name="旧系统", scopes=ALL_SCOPES)
    api_token_revoke(token=issued.token, actor=world.seller)
    revoked = System(issued.secret).get(LISTINGS)
    assert revoked.status_code == 401 and "撤销" in revoked.json()["detail"]  # Chinese first
    assert revoked["WWW-Authenticate"].startswith("Bearer")
    unknown = System("ipx_" + "x" * 43).get(LISTINGS)
    assert unknown.status_code == 401 and "无法识别" in unknown.json()["detail"]
    missing = Client().get(LISTINGS)
    assert missing.status_code == 401 and "Authorization" in missing.json()["detail"]


def test_a_token_stops_working_when_its_creator_leaves_the_organisation(world):
    system = System(token_for(world.university, world.seller))
    world.seller.memberships.all().delete()
    answer = system.get(LISTINGS)
    assert answer.status_code == 401 and "不属于本机构" in answer.json()["detail"]


def test_a_token_without_the_scope_is_refused_with_403(world):
    reader = System(token_for(world.university, world.seller, scopes=[ApiScope.READ]))
    assert reader.get(LISTINGS).status_code == 200
    answer = reader.post(LISTINGS, listing_body(world))
    assert answer.status_code == 403 and "listings:write" in answer.json()["detail"]
    demands_only = System(token_for(world.university, world.seller, scopes=[ApiScope.DEMANDS_WRITE]))
    assert demands_only.post(LISTINGS, listing_body(world)).status_code == 403
    assert demands_only.get(LISTINGS).status_code == 403
    assert not Listing.objects.exists()


def test_a_token_past_its_rate_limit_gets_429_with_retry_after(world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_token": {"count": 3, "seconds": 60}}
    system = System(token_for(world.university, world.seller))
    other = System(token_for(world.university, world.seller, name="另一个系统"))
    assert [system.get(LISTINGS).status_code for _ in range(3)] == [200, 200, 200]
    limited = system.get(LISTINGS)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert other.get(LISTINGS).status_code == 200  # counted per token


def test_a_use_is_recorded_on_the_token(world, university_system):
    university_system.get(LISTINGS)
    assert ApiToken.objects.get().last_used_at is not None


# --- CSRF and the document -----------------------------------------------------------------------------------------


def test_a_token_writes_without_a_csrf_cookie_but_a_browser_session_cannot_write_at_all(world, client_for):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.seller)
    answer = browser.post(LISTINGS, listing_body(world), content_type="application/json")
    assert answer.status_code == 401  # a session is not a credential here: no token, no write
    assert not Listing.objects.exists()


def test_the_document_lists_the_write_paths_with_their_security_scheme_and_refusals():
    document = api.get_openapi_schema()
    scheme = document["components"]["securitySchemes"]["OrganisationToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, methods in {
        LISTINGS: {"get", "post"},
        f"{LISTINGS}/{{listing_id}}": {"get", "patch"},
        f"{LISTINGS}/{{listing_id}}/submit": {"post"},
        f"{LISTINGS}/{{listing_id}}/withdraw": {"post"},
        f"{LISTINGS}/{{listing_id}}/close": {"post"},
        DEMANDS: {"get", "post"},
        f"{DEMANDS}/{{demand_id}}": {"get", "patch"},
        f"{DEMANDS}/{{demand_id}}/submit": {"post"},
        f"{DEMANDS}/{{demand_id}}/close": {"post"},
    }.items():
        assert set(document["paths"][path]) == methods, path
        for operation in document["paths"][path].values():
            assert operation["security"] == [{"OrganisationToken": []}]
            assert {401, 403, 422, 429} <= set(operation["responses"]), path
    create = document["paths"][LISTINGS]["post"]
    assert create["parameters"][0]["name"] == "Idempotency-Key"
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert document["components"]["schemas"][body]["examples"]
    # The public paths stay open: no security on them.
    assert "security" not in document["paths"]["/api/v1/listings"]["get"]
