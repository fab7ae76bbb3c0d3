"""A card saved by a person who then closes their account: nobody goes on charging it, and the gateway forgets it."""

import pytest
import stripe

from marketplace.accounts.services import account_close
from marketplace.organisations.models import MemberRole
from payments.models import SavedCard
from payments.services import saved_card_add
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def test_closing_an_account_retires_its_saved_cards_and_the_gateway_forgets_them(
    world, stripe_server, stripe_client, card_token, django_capture_on_commit_callbacks
):
    card = saved_card_add(organisation_id=world.enterprise.pk, actor=world.buyer, token=card_token(), auto_pay=True)
    colleague = MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN).user
    kept = saved_card_add(organisation_id=world.enterprise.pk, actor=colleague, token=card_token())
    assert stripe_client.v1.customers.payment_sources.retrieve(card.customer_reference, card.payment_method_reference)

    with django_capture_on_commit_callbacks(execute=True):
        account_close(user=world.buyer, password=TEST_PASSWORD)

    card.refresh_from_db()
    assert (card.active, card.auto_pay) == (False, False)
    assert SavedCard.objects.get(pk=kept.pk).active, "a colleague's card is theirs to keep"
    with pytest.raises(stripe.StripeError):
        stripe_client.v1.customers.payment_sources.retrieve(card.customer_reference, card.payment_method_reference)
    assert stripe_client.v1.customers.payment_sources.retrieve(kept.customer_reference, kept.payment_method_reference)
