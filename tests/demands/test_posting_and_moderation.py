"""A firm posts a demand, the hosting centre's staff approve or return it, and every move is on record."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from demands.models import Demand, DemandEvent, DemandStatus
from demands.services import demand_set_status, demand_update
from tests.demands.conftest import draft_of, form_data
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_firm_posts_a_demand_and_the_hosting_centre_publishes_it(world, client_for):
    client = client_for(world.buyer)
    response = client.post("/demands/workspace/new/", {"organisation": world.enterprise.pk, **form_data()})
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/workspace/{demand.pk}/"
    assert demand.status == DemandStatus.DRAFT
    assert demand.centre == world.ningbo_alliance  # hosted by the organisation's centre
    assert demand.budget_min_fen == 50_000_000 and demand.budget_max_fen == 200_000_000
    assert demand.ipc_codes == ["H01M", "H01M 4/525"]
    assert demand.deal_kinds == ["licence", "joint_development"]

    client.post(f"/demands/workspace/{demand.pk}/status/", {"to_status": "submitted"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED

    broker = client_for(world.ningbo_broker)  # Ningbo is above the alliance: its staff host the demand too
    queue = broker.get("/demands/moderation/")
    assert demand.title in queue.content.decode()
    assert broker.get(f"/demands/moderation/{demand.pk}/").status_code == 200
    broker.post(f"/demands/workspace/{demand.pk}/status/", {"to_status": "published"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED and demand.published_at is not None
    moves = list(DemandEvent.objects.filter(demand=demand).values_list("from_status", "to_status", "actor"))
    assert moves == [
        ("", "draft", world.buyer.pk),
        ("draft", "submitted", world.buyer.pk),
        ("submitted", "published", world.ningbo_broker.pk),
    ]


def test_staff_of_another_centre_may_not_approve(world):
    demand = draft_of(world)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    with pytest.raises(PermissionDenied):
        demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.hangzhou_broker)
    # The alliance's own broker and root staff may.
    demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.alliance_broker)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.PUBLISHED


def test_the_firm_cannot_approve_its_own_demand(world):
    demand = draft_of(world)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    with pytest.raises(PermissionDenied):
        demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.buyer)


def test_a_refusal_needs_a_reason_and_returns_the_demand_with_it(world, client_for):
    demand = draft_of(world)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    with pytest.raises(ValidationError):
        demand_set_status(demand=demand, to_status=DemandStatus.DRAFT, actor=world.ningbo_broker)

    broker = client_for(world.ningbo_broker)
    broker.post(f"/demands/workspace/{demand.pk}/status/", {"to_status": "draft", "note": "请写明量产规模和验收指标"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DRAFT
    assert demand.moderation_note == "请写明量产规模和验收指标"
    event = demand.events.last()
    assert (event.to_status, event.actor, event.note) == ("draft", world.ningbo_broker, "请写明量产规模和验收指标")

    page = client_for(world.buyer).get(f"/demands/workspace/{demand.pk}/").content.decode()
    assert "请写明量产规模和验收指标" in page


def test_paused_and_closed_demands_leave_the_public_site_with_their_reason(world):
    demand = draft_of(world)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.root_staff)
    demand_set_status(demand=demand, to_status=DemandStatus.PAUSED, actor=world.buyer)
    demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.buyer)
    with pytest.raises(ValidationError):
        demand_set_status(demand=demand, to_status=DemandStatus.CLOSED, actor=world.buyer)  # no reason
    demand = demand_set_status(demand=demand, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="solved")
    assert (demand.status, demand.close_reason) == ("closed", "solved")
    with pytest.raises(ValidationError):
        demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.root_staff)


def test_an_organisation_that_lost_its_verification_cannot_be_published(world):
    demand = draft_of(world)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    world.enterprise.verified = False
    world.enterprise.save()
    with pytest.raises(ValidationError):
        demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.ningbo_broker)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_a_published_demand_can_be_edited_but_not_into_bad_input(world):
    demand = draft_of(world)
    demand_update(demand=demand, actor=world.buyer, title="新标题")
    assert Demand.objects.get(pk=demand.pk).title == "新标题"
    with pytest.raises(ValidationError):
        demand_update(demand=demand, actor=world.buyer, deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        demand_update(demand=demand, actor=world.outsider, title="别人的")
    assert Demand.objects.get(pk=demand.pk).title == "新标题"


# --- Bad input: form errors, nothing saved -------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"field": ""}, "field"),
        ({"budget_min_fen": 300_000_000, "budget_max_fen": 100_000_000}, "budget_max_fen"),
        ({"deadline": timezone.localdate() - timedelta(days=3)}, "deadline"),
        ({"deadline": timezone.localdate()}, "deadline"),
        ({"deal_kinds": []}, "deal_kinds"),
        ({"ipc_codes": "Z99"}, "ipc_codes"),
    ],
    ids=["no field", "budget upside down", "deadline past", "deadline today", "no deal kind", "bad IPC"],
)
def test_bad_input_gets_a_form_error_and_saves_nothing(world, client_for, changes, field):
    client = client_for(world.buyer)
    response = client.post("/demands/workspace/new/", {"organisation": world.enterprise.pk, **form_data(**changes)})
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Demand.objects.exists()


def test_an_unverified_organisation_gets_a_form_error_and_saves_nothing(world, client_for):
    unverified = OrganisationFactory(name="未认证科技有限公司", verified=False, centre=world.ningbo)
    member = MembershipFactory(organisation=unverified).user
    response = client_for(member).post("/demands/workspace/new/", {"organisation": unverified.pk, **form_data()})
    assert response.status_code == 200
    assert "未认证科技有限公司" in " ".join(response.context["form"].errors["organisation"])
    assert not Demand.objects.exists()


def test_the_service_refuses_bad_input_from_any_caller(world):
    with pytest.raises(ValidationError) as refused:
        draft_of(world, budget_min_fen=5, budget_max_fen=1, deadline=timezone.localdate() - timedelta(days=1))
    assert set(refused.value.error_dict) == {"budget_max_fen", "deadline"}
    with pytest.raises(ValidationError):
        draft_of(world, field="")
    assert not Demand.objects.exists()


def test_a_persons_copy_of_their_data_holds_the_demands_they_wrote_and_moved(world, client_for):
    import json

    demand = draft_of(world, title="我写的需求")
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    response = client_for(world.buyer).get("/accounts/me/personal-data/")
    sections = {part["key"]: part["records"] for part in json.loads(response.content)["sections"]}
    assert [row["title"] for row in sections["demands.created"]] == ["我写的需求"]
    assert [row["demand_id"] for row in sections["demands.status_changes"]] == [demand.pk, demand.pk]


def test_the_firm_edits_its_published_demand_and_the_public_page_follows(world, client, client_for):
    from tests.demands.conftest import published_of

    demand = published_of(world)
    assert demand.title in client.get(f"/demands/{demand.pk}/").content.decode()  # now stored for visitors
    owner = client_for(world.buyer)
    response = owner.post(
        f"/demands/workspace/{demand.pk}/", form_data(title="修改后的需求标题", deal_kinds=["equity"])
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.title, demand.deal_kinds, demand.status) == ("修改后的需求标题", ["equity"], "published")
    owner.logout()
    assert "修改后的需求标题" in client.get(f"/demands/{demand.pk}/").content.decode()
    refused = client_for(world.buyer).post(f"/demands/workspace/{demand.pk}/", form_data(field=""))
    assert refused.status_code == 200 and refused.context["form"].errors["field"]
