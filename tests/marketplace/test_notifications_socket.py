import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from marketplace.core.consumers import NotificationConsumer
from marketplace.core.notifications import notify_user_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_anonymous_visitor_cannot_open_the_notification_socket():
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = AnonymousUser()
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


async def test_a_signed_in_person_receives_a_notification_after_the_transaction_commits():
    from asgiref.sync import sync_to_async

    from tests.factories import UserFactory

    user = await sync_to_async(UserFactory)()
    other = await sync_to_async(UserFactory)()
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected

    @sync_to_async
    def notify(target, message):
        from django.db import transaction

        with transaction.atomic():
            notify_user_on_commit(target.id, {"message": message})

    await notify(other, "不是给你的")
    await notify(user, "新的报价")
    assert await communicator.receive_json_from(timeout=2) == {"message": "新的报价"}
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_people_told_together_each_get_the_notice_even_when_one_push_fails():
    from asgiref.sync import sync_to_async

    from marketplace.core.notifications import group_sends_now, notification, push_breaker
    from tests.factories import UserFactory

    first, second = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    sockets = []
    for person in (first, second):
        communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
        communicator.scope["user"] = person
        assert (await communicator.connect())[0]
        sockets.append(communicator)

    # A group name the layer refuses stands in for a push that fails: it is reported, the others still go.
    sends = [
        notification(first.id, {"message": "甲"}),
        ("not a valid group", {}),
        notification(second.id, {"message": "乙"}),
    ]
    try:
        assert await sync_to_async(group_sends_now)(sends) is False
    finally:
        push_breaker.succeeded()  # the failure opened the process's breaker: later tests push again
    assert await sockets[0].receive_json_from(timeout=2) == {"message": "甲"}
    assert await sockets[1].receive_json_from(timeout=2) == {"message": "乙"}
    for communicator in sockets:
        await communicator.disconnect()
