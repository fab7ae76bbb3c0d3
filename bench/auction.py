"""A bidding round's last minutes over real WebSockets: N bidders (organisations with a verified signatory and a
paid deposit) all connected to one round (ws/auctions/<pk>/) on the production ASGI server (uvicorn, 2 workers,
the Redis channel layer), bidding at a steady rate with bursts where many bidders bid the same price at the same
instant; the round's end is close enough that bids extend it (anti-sniping). Prints

    auction bidders=<N> bids=<accepted> lost=<n> p95_ms=<n>

where p95_ms is, over every accepted bid and every connected bidder, the time from the server placing the bid
(its `placed_at`, this machine's clock) to that bidder's socket receiving its {"type": "bid"} event, and `lost`
counts accepted bids some bidder never received. A second line gives the races (bursts), the bids refused (the
losers of a race are told why: correct, not lost), the extensions and whether two winning bids had one amount.

At the end the database is read: the ladder must be strictly increasing (each bid at least the one it beats plus
the increment, no two equal), with every bid.accepted a stored bid and every stored bid acknowledged to its sender.

SQLite by default (a temporary folder); PostgreSQL when DATABASE_URL is given (a throwaway database beside it).
Redis at REDIS_URL, else redis://127.0.0.1:6379/14: sockets of the two workers meet there.

The bench's setup writes through the services (organisations and people as the test factories make them, the
round opened by staff, each deposit registered and paid by bank transfer that one staff member records and a
second confirms), except that it moves the round's clock past its announcement period, as the tests do.
"""

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.common import ROOT, Server, scratch_site

MODES = {
    "short": {"bidders": 200, "seconds": 10, "rate": 20, "burst_every": 2.0, "burst_size": 20, "listings": 50},
    "full": {"bidders": 200, "seconds": 60, "rate": 20, "burst_every": 3.0, "burst_size": 30, "listings": 50},
}
PORT = 8660
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
GOAL_P95_MS = 300
# The round ends this long after the load starts, with a one-minute extension: the first bids extend it, and so
# does every bid once less than a minute is left again.
ENDS_AFTER_S = 55
EXTENSION_MINUTES = 1


class BenchFailure(RuntimeError):
    """Lost deliveries, unanswered bids or a broken ladder: fails even with --report-only."""


def run(mode: str = "short") -> bool:
    sizes = MODES[mode]
    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    print(
        f"{'PostgreSQL' if database_url else 'SQLite'} + Redis channel layer; uvicorn, 2 workers, production settings;"
        f" {os.cpu_count()} cores, shared (load average {os.getloadavg()[0]:.1f})"
    )
    started = time.monotonic()
    with scratch_site("auction", listings=sizes["listings"], database_url=database_url, redis_url=redis_url) as env:
        site_ready = time.monotonic()
        setup = _in_site(env, f"setup_round({sizes['bidders']})")
        print(
            f"prepared in {time.monotonic() - started:.0f} s (the site {site_ready - started:.0f} s, then "
            f"{len(setup['bidders'])} bidders registered and paid through the services), round {setup['round']}"
        )
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(PORT), "--workers", "2", "--ws", "websockets", "--no-access-log"]
        command += ["--lifespan", "off", "--log-level", "warning", "--http", "httptools", "--loop", "uvloop"]
        with Server(command, env, PORT) as server:
            result = _run_client(_bid_load(setup, sizes, env))
            server.__exit__(None, None, None)
            log = server.log_text()
        ladder = _in_site(env, f"ladder({setup['round']})")
    return _report(setup, sizes, result, ladder, log)


def _run_client(coroutine):
    """The bidders' sockets on uvloop when it is there (as the server runs): the client shares the cores."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return asyncio.run(coroutine, loop_factory=uvloop.new_event_loop)


_SNIPPET = """
import json, django
django.setup()
from bench.auction import {call_name}
print(json.dumps({call}))
"""


def _in_site(env: dict[str, str], call: str):
    """Run `bench.auction.<call>` inside the prepared site (its settings and database): returns its JSON."""
    code = _SNIPPET.format(call_name=call.split("(")[0], call=call)
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


# --- Inside the site ------------------------------------------------------------------------------------------


def setup_round(bidders: int) -> dict:
    """A transfer round on a listing on the market, opened by platform staff, with `bidders` organisations
    registered and their deposits paid; a logged-in session for each bidder's signatory."""
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from auctions.models import AuctionRound, DepositStatus
    from auctions.services import deposit_register, round_open
    from listings.models import ListingTerms
    from listings.selectors import listings_on_market
    from marketplace.core.cities import City
    from marketplace.organisations.credit_code import compute_check_character
    from marketplace.organisations.models import (
        MemberRole,
        Membership,
        Organisation,
        OrganisationKind,
        Signatory,
        SignatoryCapacity,
        SignatoryStatus,
    )
    from payments.services import bank_transfer_confirm, bank_transfer_record

    users = get_user_model().objects
    staff = users.get(email="admin@demo.ipx.cn")  # the root centre: covers every centre
    second_staff = users.get(email="broker.province@demo.ipx.cn")
    transfers = ListingTerms.objects.filter(mode="transfer", is_open=True).values("listing_id")
    busy = AuctionRound.objects.filter(status="open").values("listing_id")  # the demo's own rounds
    listing = (
        listings_on_market()
        .filter(pk__in=transfers)
        .exclude(pk__in=busy)
        .select_related("centre")
        .order_by("pk")
        .first()
    )
    if listing is None:
        raise RuntimeError("no listing on the market offers a transfer; seed more")
    now = timezone.now()
    start = now + timedelta(days=60)
    round_ = round_open(
        listing=listing,
        actor=staff,
        mode="transfer",
        start_price_fen=100_000_000,
        increment_fen=100_000,  # ¥1,000 on ¥1,000,000: a long ladder
        deposit_fen=10_000_000,
        bidding_starts_at=start,
        bidding_ends_at=start + timedelta(hours=2),
        extension_minutes=EXTENSION_MINUTES,
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    letter = b"%PDF-1.7\n%authorisation letter\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    receipt = b"%PDF-1.7\n%receipt\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    people = []
    for index in range(bidders):
        with transaction.atomic():
            first17 = f"91330200{900_000 + index:09d}"
            organisation = Organisation.objects.create(
                name=f"竞价测试科技有限公司{index:03d}",
                kind=OrganisationKind.ENTERPRISE,
                credit_code=first17 + compute_check_character(first17),
                city=City.NINGBO,
                centre=listing.centre,
                verified=True,
            )
            user = users.create_user(email=f"bidder{index:03d}@bench.example.cn", password=None)
            Membership.objects.create(organisation=organisation, user=user, role=MemberRole.ADMIN)
            Signatory.objects.create(
                organisation=organisation,
                user=user,
                capacity=SignatoryCapacity.AUTHORISED,
                status=SignatoryStatus.VERIFIED,
                letter=SimpleUploadedFile("授权委托书.pdf", letter, content_type="application/pdf"),
                letter_name="授权委托书.pdf",
                nominated_by=user,
                decided_at=timezone.now(),
            )
        deposit = deposit_register(round_=round_, organisation=organisation, actor=user)
        payment = bank_transfer_record(
            instalment=deposit.instalment,
            actor=staff,
            payer=organisation.name,
            amount_fen=deposit.instalment.amount_fen,
            transferred_on=timezone.localdate(),
            bank_reference=f"BENCH-DEP-{round_.pk}-{index:04d}",
            evidence=SimpleUploadedFile("保证金回单.pdf", receipt, content_type="application/pdf"),
        )
        bank_transfer_confirm(payment=payment, actor=second_staff)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"organisation": organisation.pk, "session": session.session_key})
    paid = round_.deposits.filter(status=DepositStatus.PAID).count()
    if paid != bidders:
        raise RuntimeError(f"only {paid} of {bidders} deposits are paid")
    # The announcement period passes (as bidding_started in tests/auctions/factories.py does): bidding is on, with an
    # hour left until the load begins and `arm_round` brings the end close.
    later = timezone.now() + timedelta(hours=1)
    AuctionRound.objects.filter(pk=round_.pk).update(
        bidding_starts_at=timezone.now() - timedelta(minutes=1), bidding_ends_at=later, ends_at=later
    )
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "round": round_.pk,
        "start_price_fen": round_.start_price_fen,
        "increment_fen": round_.increment_fen,
        "bidders": people,
    }


def arm_round(round_id: int, seconds: float) -> dict:
    """The round ends `seconds` from now: the load that follows runs in its last minute(s)."""
    from datetime import timedelta

    from django.utils import timezone

    from auctions.models import AuctionRound

    ends = timezone.now() + timedelta(seconds=seconds)
    AuctionRound.objects.filter(pk=round_id).update(bidding_ends_at=ends, ends_at=ends)
    return {"ends_at": ends.isoformat()}


def ladder(round_id: int) -> dict:
    from auctions.models import AuctionRound, Bid, RoundEvent, RoundEventKind

    round_ = AuctionRound.objects.get(pk=round_id)
    bids = list(
        Bid.objects.filter(round_id=round_id)
        .order_by("sequence")
        .values("pk", "sequence", "amount_fen", "minimum_fen", "bidder_id", "beats_id", "placed_at")
    )
    return {
        "bid_count": round_.bid_count,
        "price_fen": round_.price_fen,
        "top_bid": round_.top_bid_id,
        "increment_fen": round_.increment_fen,
        "start_price_fen": round_.start_price_fen,
        "extensions": RoundEvent.objects.filter(round_id=round_id, kind=RoundEventKind.EXTENDED).count(),
        "bids": [{**bid, "placed_at": bid["placed_at"].isoformat()} for bid in bids],
    }


# --- The bidders ----------------------------------------------------------------------------------------------


@dataclass
class Sent:
    client: int
    amount_fen: int
    at: float  # perf_counter
    burst: int | None


@dataclass
class LoadResult:
    connected: int = 0
    failures: Counter = field(default_factory=Counter)
    sent: dict[int, Sent] = field(default_factory=dict)  # ref -> what was sent
    accepted: dict[int, tuple[int, int]] = field(default_factory=dict)  # sequence -> (ref, client)
    refused: Counter = field(default_factory=Counter)  # message -> count
    answered: set[int] = field(default_factory=set)  # refs
    answer_ms: list[float] = field(default_factory=list)  # sent -> bid.accepted at the sender
    received: dict[int, set[int]] = field(default_factory=dict)  # sequence -> clients
    events: dict[int, dict] = field(default_factory=dict)  # sequence -> the bid as first received
    latencies_ms: list[float] = field(default_factory=list)  # placed_at -> received, every (bid, client)
    first_ms: dict[int, float] = field(default_factory=dict)  # sequence -> placed_at -> first socket
    last_ms: dict[int, float] = field(default_factory=dict)  # sequence -> placed_at -> last socket so far
    duplicates: int = 0
    bursts: int = 0
    seconds: float = 0.0
    client_cpu_s: float = 0.0  # this process's CPU time while bidding and receiving: the client's own share


async def _bid_load(setup: dict, sizes: dict, env: dict[str, str]) -> LoadResult:
    from datetime import datetime

    from websockets.asyncio.client import connect

    result = LoadResult()
    people = setup["bidders"]
    increment = setup["increment_fen"]
    # What the bidders know of the round: the least the next bid may be and who holds the top (client index).
    known = {"next_minimum": setup["start_price_fen"], "top": -1, "last_sent": 0}
    handshakes = asyncio.Semaphore(32)

    async def open_socket(index: int):
        async with handshakes:
            try:
                socket = await connect(
                    f"ws://127.0.0.1:{PORT}/ws/auctions/{setup['round']}/",
                    additional_headers={
                        "Cookie": f"{setup['cookie']}={people[index]['session']}",
                        "Origin": f"http://127.0.0.1:{PORT}",
                    },
                    open_timeout=60,
                    max_queue=None,
                    ping_interval=None,  # a slow server shows as latency, not as sockets closed on a late pong
                )
                state = json.loads(await asyncio.wait_for(socket.recv(), 60))
            except Exception as error:  # noqa: BLE001 - every failure to join counts
                result.failures[f"connect: {type(error).__name__}: {error}"[:120]] += 1
                return None
            if state.get("type") != "state" or state.get("phase") != "bidding":
                result.failures[f"connect: {str(state)[:100]}"] += 1
            result.connected += 1
            return socket

    sockets = await asyncio.gather(*(open_socket(index) for index in range(len(people))))

    async def listen(index: int, socket) -> None:
        try:
            async for frame in socket:
                arrived_wall = time.time()
                data = json.loads(frame)
                kind = data.get("type")
                if kind == "bid":
                    bid = data["bid"]
                    sequence = bid["sequence"]
                    seen = result.received.setdefault(sequence, set())
                    if index in seen:
                        result.duplicates += 1
                        continue
                    seen.add(index)
                    result.events.setdefault(sequence, bid)
                    placed = datetime.fromisoformat(bid["placed_at"]).timestamp()
                    latency = (arrived_wall - placed) * 1000
                    result.latencies_ms.append(latency)
                    result.first_ms.setdefault(sequence, latency)
                    result.last_ms[sequence] = latency
                    if bid["next_minimum_fen"] > known["next_minimum"]:
                        known["next_minimum"] = bid["next_minimum_fen"]
                    if bid["own"]:
                        known["top"] = index
                elif kind == "bid.accepted":
                    ref = data["ref"]
                    result.answered.add(ref)
                    result.accepted[data["sequence"]] = (ref, index)
                    result.answer_ms.append((time.perf_counter() - result.sent[ref].at) * 1000)
                elif kind == "error":
                    ref = data.get("ref")
                    if ref is None:
                        result.failures[f"error frame: {data.get('message')}"] += 1
                        continue
                    result.answered.add(ref)
                    result.refused[data.get("message", "")[:60]] += 1
        except Exception as error:  # noqa: BLE001
            result.failures[f"receive: {type(error).__name__}: {error}"[:120]] += 1

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets) if s is not None]
    live = [i for i, s in enumerate(sockets) if s is not None]
    refs = iter(range(1, 10**9))

    async def bid(index: int, amount: int, burst: int | None) -> None:
        ref = next(refs)
        result.sent[ref] = Sent(index, amount, time.perf_counter(), burst)
        try:
            await sockets[index].send(
                json.dumps({"type": "bid", "bidder": people[index]["organisation"], "amount_fen": amount, "ref": ref})
            )
        except Exception as error:  # noqa: BLE001
            result.failures[f"send: {type(error).__name__}"] += 1

    def someone_else(count: int) -> list[int]:
        candidates = [i for i in live if i != known["top"]]
        return random.sample(candidates, min(count, len(candidates)))

    rng = random.Random(21)
    await asyncio.to_thread(_in_site, env, f"arm_round({setup['round']}, {ENDS_AFTER_S})")
    started, cpu_started = time.monotonic(), time.process_time()
    next_burst = started + sizes["burst_every"]
    tick = 1 / sizes["rate"]
    next_tick = started
    while (now := time.monotonic()) < started + sizes["seconds"]:
        if now >= next_burst:
            # A race: many bidders at the same instant, all at the price they see as the least acceptable.
            result.bursts += 1
            amount = max(known["next_minimum"], known["last_sent"] + increment)
            known["last_sent"] = amount
            await asyncio.gather(*(bid(i, amount, result.bursts) for i in someone_else(sizes["burst_size"])))
            next_burst += sizes["burst_every"]
        (index,) = someone_else(1)
        # A bidding war: each bids above the last bid sent (as on a hall's floor, where the bids in flight are
        # heard), most by the least step, some jumping one or two; a race lost to a burst is refused.
        floor = max(known["next_minimum"], known["last_sent"] + increment)
        amount = floor + increment * rng.choice((0, 0, 0, 1, 2))
        known["last_sent"] = amount
        await bid(index, amount, None)
        next_tick += tick
        await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
    result.seconds = time.monotonic() - started

    # Every bid answered and every accepted bid delivered to every socket, or 20 s pass.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        delivered = all(len(result.received.get(s, ())) >= len(live) for s in result.accepted)
        if len(result.answered) >= len(result.sent) and delivered:
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)  # late duplicates would show here
    result.client_cpu_s = time.process_time() - cpu_started
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(s.close() for s in sockets if s is not None), return_exceptions=True)
    return result


# --- The figures ----------------------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _check_ladder(ladder: dict, result: LoadResult, people: list[dict]) -> list[str]:
    """What the database says against what the sockets were told: each problem in a line."""
    problems = []
    bids = ladder["bids"]
    previous = None
    for expected_sequence, bid in enumerate(bids, start=1):
        if bid["sequence"] != expected_sequence:
            problems.append(f"sequence {bid['sequence']} where {expected_sequence} was expected")
        if previous is None:
            if bid["beats_id"] is not None or bid["amount_fen"] < ladder["start_price_fen"]:
                problems.append(f"first bid {bid}")
        else:
            if bid["beats_id"] != previous["pk"]:
                problems.append(f"bid {bid['sequence']} beats {bid['beats_id']}, not the bid before it")
            if bid["amount_fen"] < previous["amount_fen"] + ladder["increment_fen"]:
                problems.append(f"bid {bid['sequence']} is not above bid {previous['sequence']} by the increment")
        previous = bid
    amounts = [bid["amount_fen"] for bid in bids]
    if len(set(amounts)) != len(amounts):
        problems.append("two stored bids have the same amount")
    if ladder["bid_count"] != len(bids) or (bids and ladder["price_fen"] != bids[-1]["amount_fen"]):
        problems.append("the round's count or price disagrees with its bids")
    stored = {bid["sequence"]: bid for bid in bids}
    for sequence, (ref, client) in result.accepted.items():
        bid = stored.get(sequence)
        sent = result.sent[ref]
        if bid is None:
            problems.append(f"bid.accepted {sequence} is not stored")
        elif (bid["amount_fen"], bid["bidder_id"]) != (sent.amount_fen, people[client]["organisation"]):
            problems.append(f"bid.accepted {sequence} is stored with another amount or bidder")
    unacknowledged = set(stored) - set(result.accepted)
    if unacknowledged:
        problems.append(f"{len(unacknowledged)} stored bid(s) were never acknowledged to their sender")
    return problems


def _report(setup: dict, sizes: dict, result: LoadResult, ladder: dict, log: str) -> bool:
    bidders = len(setup["bidders"])
    lost = sum(1 for sequence in result.accepted if len(result.received.get(sequence, ())) < result.connected)
    missing = sum(max(0, result.connected - len(result.received.get(s, ()))) for s in result.accepted)
    p95 = _percentile(result.latencies_ms, 0.95)
    unanswered = len(result.sent) - len(result.answered)
    refused = sum(result.refused.values())
    # A race's winner: the burst's bids that were accepted (at most one may be, they all named one amount).
    winners = Counter(result.sent[ref].burst for ref, _ in result.accepted.values() if result.sent[ref].burst)
    equal_winning = sum(count - 1 for count in winners.values() if count > 1)
    equal_winning += len(ladder["bids"]) - len({bid["amount_fen"] for bid in ladder["bids"]})
    problems = _check_ladder(ladder, result, setup["bidders"])
    print(f"auction bidders={bidders} bids={len(result.accepted)} lost={lost} p95_ms={p95:.0f}")
    print(
        f"auction races={result.bursts} races_won={len(winners)} refused={refused} "
        f"extensions={ladder['extensions']} equal_winning={equal_winning}"
    )
    print(
        f"  {len(result.sent)} bids sent in {result.seconds:.1f} s ({len(result.sent) / result.seconds:.1f}/s) by "
        f"{result.connected} connected bidders; delivery p50 {_percentile(result.latencies_ms, 0.5):.0f} / p99 "
        f"{_percentile(result.latencies_ms, 0.99):.0f} / max {max(result.latencies_ms, default=0):.0f} ms over "
        f"{len(result.latencies_ms)} deliveries; sent -> bid.accepted p50 {_percentile(result.answer_ms, 0.5):.0f} "
        f"/ p95 {_percentile(result.answer_ms, 0.95):.0f} ms; deliveries missing {missing}; unanswered {unanswered};"
        f" duplicates {result.duplicates}; load average {os.getloadavg()[0]:.1f}"
    )
    firsts, lasts = list(result.first_ms.values()), list(result.last_ms.values())
    print(
        f"  per bid: placed -> first socket p50 {_percentile(firsts, 0.5):.0f} / p95 {_percentile(firsts, 0.95):.0f}"
        f" ms, placed -> last of the {result.connected} sockets p50 {_percentile(lasts, 0.5):.0f} / p95 "
        f"{_percentile(lasts, 0.95):.0f} ms; the client used {result.client_cpu_s:.1f} s of CPU"
    )
    for message, count in result.refused.most_common(4):
        print(f"  refused: {message} x{count}")
    for failure, count in result.failures.most_common(5):
        print(f"  failure: {failure} x{count}")
    for problem in problems[:10]:
        print(f"  ladder: {problem}")
    errors = [line for line in log.splitlines() if "Traceback" in line or "ERROR" in line]
    if errors:
        print(f"  server log: {len(errors)} error line(s); last lines:")
        for line in log.splitlines()[-10:]:
            print(f"    {line}")
    if lost or unanswered or problems or result.failures or result.duplicates or equal_winning or errors:
        raise BenchFailure("auction: lost or unanswered bids, a broken ladder or server errors (see above)")
    return p95 <= GOAL_P95_MS
