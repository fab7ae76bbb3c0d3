"""One charge per instalment whatever happens, proven against real servers: uvicorn (killed where a payment
hurts most), localstripe over HTTP, and the site's own database (PostgreSQL when DATABASE_URL is set)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

CRASH_STEPS = ["payments.card.before_gateway", "payments.card.after_gateway", "payments.card.before_commit"]


def test_ten_parallel_pay_submits_for_one_instalment_make_exactly_one_charge(payment_site):
    deal = payment_site.scenario()
    first = deal["instalments"][0]["id"]
    tokens = [payment_site.card_token() for _ in range(10)]
    with payment_site.server(workers=2):
        buyer = payment_site.sign_in(deal["buyer"])
        barrier = threading.Barrier(len(tokens))

        def submit(token: str) -> httpx.Response:
            barrier.wait()
            return buyer.pay(deal["deal"], first, token)

        with ThreadPoolExecutor(len(tokens)) as pool:
            answers = list(pool.map(submit, tokens))
        assert [answer.status_code for answer in answers] == [200] * 10, payment_site.log_tail()
        bodies = [answer.json() for answer in answers]
        started = [body for body in bodies if body["started"]]
        assert len(started) == 1, bodies  # the nine others were shown the payment under way, or paid
        assert all(body["paid"] or body["payment"]["open"] for body in bodies), bodies
        assert buyer.status(deal["deal"], first)["paid"]
    assert len(payment_site.charges_for(first)) == 1
    assert len(payment_site.succeeded_charges_for(first)) == 1


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_a_server_killed_at_any_step_of_a_card_payment_never_charges_twice(payment_site, step):
    deal = payment_site.scenario()
    number, first = deal["deal"], deal["instalments"][0]["id"]
    with payment_site.server(crash_at=step) as process:
        buyer = payment_site.sign_in(deal["buyer"])
        with pytest.raises(httpx.TransportError):
            buyer.pay(number, first, payment_site.card_token())
        assert process.wait(timeout=20) == -9  # SIGKILL: no cleanup ran

    with payment_site.server():
        # Back up: the buyer's page asks where the payment stands. It is never "due, pay again" while the
        # gateway may hold the money: either the charge is found by the attempt's key, or it is still open.
        status = buyer.status(number, first)
        assert status["paid"] or (status["payment"] and status["payment"]["open"]), status
        again = buyer.pay(number, first, payment_site.card_token()).json()
        assert not again["started"] and "未重复扣款" in again["message"], again  # "no second charge was made"

        # Reconciliation (the task runner's periodic job, here run by hand), past the time any request takes.
        reconciled = payment_site.manage("payments_reconcile", PAYMENT_ATTEMPT_STALE_SECONDS="0")
        assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
        status = buyer.status(number, first)
        if step == "payments.card.before_gateway":
            # Nothing reached the gateway: the attempt failed, nothing was charged, and now the buyer pays.
            assert not status["paid"] and status["payment"]["status"] == "failed"
            assert payment_site.charges_for(first) == []
            paid = buyer.pay(number, first, payment_site.card_token()).json()
            assert paid["paid"], paid
        else:
            # The gateway took the money before the crash: it is recorded, the buyer is not asked again.
            assert status["paid"], status
        assert buyer.status(number, first)["paid"]
        again = buyer.pay(number, first, payment_site.card_token()).json()
        assert again["paid"] and not again["started"], again
    assert len(payment_site.succeeded_charges_for(first)) == 1, payment_site.log_tail()
    assert len(payment_site.charges_for(first)) == 1
