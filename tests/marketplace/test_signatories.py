"""Signatories as an organisation and its operation centre handle them: an administrator names a member with the
authorisation letter on the organisation's page, a broker of its centre verifies or refuses it (from the queue),
and anyone entitled revokes it. Each move is allowed by the table, leaves an audit row, and only a verified,
unexpired signatory binds the organisation."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from marketplace.organisations.models import Signatory, SignatoryEvent, SignatoryStatus
from marketplace.organisations.selectors import BindingAct, is_signatory, require_signatory, signing_refusal
from marketplace.organisations.services import signatory_nominate, signatory_refuse, signatory_revoke, signatory_verify
from tests.factories import AUTHORISATION_LETTER, MembershipFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The site speaks Chinese by default; these tests read the English source text, in pages and refusals."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def letter(name: str = "授权委托书.pdf", content: bytes = AUTHORISATION_LETTER) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def clerk(world):
    """A plain member of the enterprise (the buyer), who prepares but does not sign."""
    return MembershipFactory(organisation=world.enterprise, user=UserFactory(display_name="采购专员 钱多")).user


def nominate_through_the_page(client, world, clerk, **extra):
    sign_in(client, world.buyer)  # the enterprise's administrator
    data = {"user": clerk.pk, "capacity": "authorised", "letter": letter(), **extra}
    return client.post(f"/organisations/{world.enterprise.pk}/signatories/", data, follow=True)


def test_an_administrator_nominates_a_member_with_the_letter_and_the_nomination_binds_nothing_yet(client, world, clerk):
    page = nominate_through_the_page(client, world, clerk)
    assert "is nominated as a signatory" in page.content.decode()
    signatory = Signatory.objects.get(user=clerk)
    assert signatory.status == SignatoryStatus.NOMINATED and signatory.nominated_by == world.buyer
    assert signatory.letter_name == "授权委托书.pdf" and signatory.letter.name.endswith(".pdf")
    assert list(SignatoryEvent.objects.filter(signatory=signatory).values_list("from_status", "to_status")) == [
        ("", "nominated")
    ]
    assert not is_signatory(clerk, world.enterprise)
    assert "awaits verification" in signing_refusal(clerk, world.enterprise, BindingAct.SIGN)


def test_the_organisations_page_tells_a_plain_member_who_can_sign(client, world, clerk):
    sign_in(client, clerk)
    page = client.get(f"/organisations/{world.enterprise.pk}/").content.decode()
    assert "You are not a signatory of this organisation: ask" in page and str(world.buyer) in page
    assert "Name a signatory" not in page  # only administrators nominate
    sign_in(client, world.buyer)
    page = client.get(f"/organisations/{world.enterprise.pk}/").content.decode()
    assert "You are a verified signatory of this organisation" in page and "Name a signatory" in page


def test_a_plain_member_cannot_nominate(client, world, clerk):
    sign_in(client, clerk)
    data = {"user": clerk.pk, "capacity": "authorised", "letter": letter()}
    page = client.post(f"/organisations/{world.enterprise.pk}/signatories/", data, follow=True).content.decode()
    assert "Only an administrator of the organisation may name its signatories." in page
    assert not Signatory.objects.filter(user=clerk).exists()


def test_a_letter_that_is_not_a_pdf_or_an_image_is_refused_by_its_content(client, world, clerk):
    page = nominate_through_the_page(client, world, clerk, letter=letter("letter.pdf", b"<html>not a letter</html>"))
    assert "is not a PDF, PNG, JPEG or WebP file" in page.content.decode()
    assert not Signatory.objects.filter(user=clerk).exists()


def test_only_members_can_be_named_and_a_person_stands_once(world, clerk):
    with pytest.raises(ValidationError):
        signatory_nominate(
            organisation=world.enterprise,
            actor=world.buyer,
            user=world.outsider,
            capacity="authorised",
            letter=letter(),
        )
    signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    with pytest.raises(ValidationError, match="already a signatory or awaits verification"):
        signatory_nominate(
            organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
        )


def test_a_broker_of_the_centre_verifies_from_the_queue_and_the_member_may_then_sign(client, world, clerk):
    nominate_through_the_page(client, world, clerk)
    signatory = Signatory.objects.get(user=clerk)
    # The enterprise is registered with the alliance, below Ningbo: Ningbo's broker serves it.
    sign_in(client, world.ningbo_broker)
    queue = client.get("/organisations/signatories/").content.decode()
    assert world.enterprise.name in queue and str(clerk) in queue
    assert client.get(f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/letter/").status_code == 200
    page = client.post(
        f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/verify/",
        {"next": "/organisations/signatories/"},
        follow=True,
    )
    assert "may now sign for" in page.content.decode()
    signatory.refresh_from_db()
    assert signatory.status == SignatoryStatus.VERIFIED and signatory.decided_by == world.ningbo_broker
    assert is_signatory(clerk, world.enterprise)
    require_signatory(clerk, world.enterprise, BindingAct.PAY)  # no refusal
    assert list(signatory.events.values_list("to_status", "actor")) == [
        ("nominated", world.buyer.pk),
        ("verified", world.ningbo_broker.pk),
    ]


def test_a_broker_of_another_centre_cannot_verify(client, world, clerk):
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    sign_in(client, world.hangzhou_broker)
    assert str(clerk) not in client.get("/organisations/signatories/").content.decode()
    response = client.post(f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/verify/")
    assert response.status_code == 404  # the organisation is not theirs to see
    with pytest.raises(PermissionDenied, match="Only staff of the operation centre"):
        signatory_verify(signatory=signatory, actor=world.hangzhou_broker)
    # Nor may the organisation's own administrator verify the nomination they made.
    with pytest.raises(PermissionDenied):
        signatory_verify(signatory=signatory, actor=world.buyer)
    signatory.refresh_from_db()
    assert signatory.status == SignatoryStatus.NOMINATED and not is_signatory(clerk, world.enterprise)


def test_root_staff_may_verify_anywhere(world, clerk):
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    assert signatory_verify(signatory=signatory, actor=world.root_staff).status == SignatoryStatus.VERIFIED


def test_a_refusal_needs_a_reason_which_the_organisation_reads(client, world, clerk):
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    with pytest.raises(ValidationError):
        signatory_refuse(signatory=signatory, actor=world.ningbo_broker, reason="  ")
    sign_in(client, world.ningbo_broker)
    client.post(
        f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/refuse/", {"reason": "委托书缺少公章"}
    )
    signatory.refresh_from_db()
    assert signatory.status == SignatoryStatus.REFUSED and signatory.refusal_reason == "委托书缺少公章"
    sign_in(client, world.buyer)
    page = client.get(f"/organisations/{world.enterprise.pk}/").content.decode()
    assert "委托书缺少公章" in page and "Refused" in page
    assert not is_signatory(clerk, world.enterprise)
    # Refused is final; naming the person again is a new nomination.
    with pytest.raises(ValidationError, match="not allowed"):
        signatory_verify(signatory=signatory, actor=world.ningbo_broker)
    again = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    assert again.pk != signatory.pk and again.status == SignatoryStatus.NOMINATED


def test_a_revoked_signatory_binds_nobody_from_that_moment(client, world):
    signatory = Signatory.objects.get(organisation=world.enterprise, user=world.buyer)
    colleague = MembershipFactory(organisation=world.enterprise, role="admin").user
    sign_in(client, colleague)
    client.post(
        f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/revoke/", {"reason": "离职"}, follow=True
    )
    signatory.refresh_from_db()
    assert signatory.status == SignatoryStatus.REVOKED and signatory.revoked_by == colleague
    assert signatory.revocation_reason == "离职"
    assert not is_signatory(world.buyer, world.enterprise)
    assert "no verified signatory yet" in signing_refusal(world.buyer, world.enterprise, BindingAct.ACCEPT)
    with pytest.raises(ValidationError, match="not allowed"):
        signatory_revoke(signatory=signatory, actor=colleague)


def test_a_stranger_to_the_organisation_cannot_revoke(world):
    signatory = Signatory.objects.get(organisation=world.enterprise, user=world.buyer)
    for person in (world.outsider, world.hangzhou_broker, world.seller):
        with pytest.raises(PermissionDenied):
            signatory_revoke(signatory=signatory, actor=person)
    assert is_signatory(world.buyer, world.enterprise)


def test_an_authorisation_past_its_end_date_binds_no_more(world):
    Signatory.objects.filter(user=world.buyer).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert not is_signatory(world.buyer, world.enterprise)


def test_a_signatory_who_leaves_the_organisation_binds_it_no_more(world):
    world.buyer.memberships.filter(organisation=world.enterprise).delete()
    assert not is_signatory(world.buyer, world.enterprise)


def test_the_letter_goes_only_to_the_administrators_the_person_and_the_centre(client, world, clerk):
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    url = f"/organisations/{world.enterprise.pk}/signatories/{signatory.pk}/letter/"
    colleague = MembershipFactory(organisation=world.enterprise).user
    expected = {
        world.buyer: 200,
        clerk: 200,
        world.ningbo_broker: 200,
        world.root_staff: 200,
        colleague: 404,
        world.outsider: 404,
        world.hangzhou_broker: 404,
    }
    for person, status in expected.items():
        sign_in(client, person)
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert b"".join(response.streaming_content) == AUTHORISATION_LETTER
            assert response["X-Content-Type-Options"] == "nosniff"


def test_the_queue_is_for_centre_staff_only(client, world):
    sign_in(client, world.buyer)
    assert client.get("/organisations/signatories/").status_code == 403


def test_the_person_named_hears_of_the_decision(world, clerk):
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    with mock.patch("marketplace.organisations.receivers.notify_user_on_commit") as notify:
        signatory_verify(signatory=signatory, actor=world.ningbo_broker)
    (user_id, payload), _kwargs = notify.call_args
    assert user_id == clerk.pk and "verified signatory" in payload["message"]
