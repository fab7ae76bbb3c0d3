"""Load: what the production ASGI server sustains for people browsing and for live negotiation rooms.

uvicorn with production settings on loopback, on PostgreSQL (a throwaway database created next to the one
DATABASE_URL names, dropped afterwards) and the Redis channel layer (REDIS_URL, e.g. redis://127.0.0.1:6379/10)
when both are given; otherwise SQLite and the in-memory channel layer, with one worker (the in-memory layer does
not reach across processes). The demo data is seeded (`seed_demo --listings N`) and the search index rebuilt.

1. HTTP: a browse / search / detail mix (/patents/ with a facet, /patents/?q=<two Chinese words>, listing detail
   pages) keeps C connections busy for a fixed time: throughput, p50 / p95 latency, errors (any status >= 400
   or connection failure). Then the same for /healthz/live, a view that does nothing, on the same server: the
   ceiling the framework, the server and the client leave, and the ratio of the mix to it.
2. WebSocket: K clients in R negotiation rooms (ws/negotiations/<id>/), logged in with real sessions (buyer,
   a colleague, the hosting broker, provincial staff, ...). In each room one sender posts N messages over the
   socket; every other client of the room must receive each one: delivery latency p50 / p95 and lost messages.

Errors and lost messages fail the benchmark (an exception, so `--report-only` does not hide them); the figures
themselves are reported, not asserted. The client runs on the same machine as the server, so figures are
pessimistic on a small machine, and the load average before and after is printed beside them.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import httpx

from bench.common import ROOT, Server, scratch_site

MODES = {
    "short": {
        "listings": 500,
        "connections": 16,
        "seconds": 5,
        "rooms": 20,
        "clients": 100,
        "messages": 5,
        "interval": 1.0,
    },
    "full": {
        "listings": 3000,
        "connections": 64,
        "seconds": 20,
        "rooms": 100,
        "clients": 500,
        "messages": 10,
        "interval": 2.0,
    },
}
PORT = 8640
# Two words a buyer would type, as the finder receives them.
SEARCH_QUERIES = ["锂电池 正极", "石墨烯 涂层", "智能 传感器", "固态 电解质", "图像 识别", "中药 提取"]
BROWSE_FACETS = [
    "mode=licence",
    "mode=transfer",
    "patent_type=invention",
    "city=hangzhou",
    "ipc_section=H",
    "sort=newest",
]


class BenchFailure(RuntimeError):
    """Errors or lost messages: the benchmark fails even with --report-only."""


# --- The site --------------------------------------------------------------------------------------------------


def run(mode: str = "short") -> bool:
    sizes = MODES[mode]
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    workers = min(2, os.cpu_count() or 1) if redis_url else 1
    backend = f"{'PostgreSQL' if database_url else 'SQLite'} + {'Redis' if redis_url else 'in-memory'} channel layer"
    print(f"{backend}; uvicorn, {workers} worker(s), production settings; {os.cpu_count()} cores, shared")
    started = time.monotonic()
    with scratch_site("load", listings=sizes["listings"], database_url=database_url, redis_url=redis_url) as env:
        setup = _create_rooms(env, sizes["rooms"])
        print(f"prepared in {time.monotonic() - started:.0f} s: {sizes['listings']:,} listings, {sizes['rooms']} rooms")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(PORT),
            "--workers",
            str(workers),
            "--no-access-log",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--http",
            "httptools",
            "--loop",
            "uvloop",
        ]
        with Server(command, env, PORT) as server:
            http_ok = _http_phase(setup, sizes)
            ws_ok = _websocket_phase(setup, sizes)
            _print_server_errors(server)
    if not (http_ok and ws_ok):
        raise BenchFailure("load: errors or lost messages (see above)")
    return True


_SETUP = """
import json, django
django.setup()
from bench.load import setup_rooms
print(json.dumps(setup_rooms({rooms})))
"""


def _create_rooms(env: dict[str, str], rooms: int) -> dict:
    finished = subprocess.run(
        [sys.executable, "-c", _SETUP.format(rooms=rooms)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def setup_rooms(rooms: int) -> dict:
    """Run inside the prepared site (production settings): open `rooms` negotiations of the demo buyer and give
    each person who takes part a logged-in session. Returns the cookie name, the rooms with the session key of
    each participant (the buyer first: the sender), and some listings on the market for the detail pages."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from deals.selectors import participant_side
    from deals.services.negotiations import negotiation_open
    from listings.models import ListingTerms
    from listings.selectors import listings_on_market
    from marketplace.organisations.models import Membership

    users = get_user_model().objects
    buyer = users.get(email="buyer@demo.ipx.cn")
    colleague = users.get(email="member@demo.ipx.cn")
    province = users.get(email="broker.province@demo.ipx.cn")
    admin = users.get(email="admin@demo.ipx.cn")
    organisation = Membership.objects.get(user=buyer).organisation
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions: dict[int, str] = {}

    def session_for(user) -> str:
        if user.pk not in sessions:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            # The brokers' sessions have passed the second step of log-in too (seed_demo gives staff an
            # authenticator); sockets refuse a staff session that has not.
            authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if authenticator is not None:
                session[DEVICE_ID_SESSION_KEY] = authenticator.persistent_id
            session.create()
            sessions[user.pk] = session.session_key
        return sessions[user.pk]

    on_market = listings_on_market().exclude(seller=organisation).order_by("pk")
    licensed = ListingTerms.objects.filter(mode="licence", is_open=True).values("listing_id")
    candidates = on_market.filter(pk__in=licensed).select_related("seller")[: rooms * 3]
    seller_users = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(organisation__in={c.seller_id for c in candidates})
    }
    opened = []
    for listing in candidates:
        if len(opened) == rooms:
            break
        negotiation = negotiation_open(listing=listing, mode="licence", actor=buyer, buyer=organisation)
        people = [
            buyer,
            colleague,
            seller_users.get(listing.seller_id, admin),
            negotiation.broker or province,
            province,
        ]
        assert all(participant_side(negotiation, person) for person in people), negotiation.pk
        opened.append({"id": negotiation.pk, "sessions": [session_for(person) for person in people]})
    if len(opened) < rooms:
        raise RuntimeError(f"only {len(opened)} listings to negotiate on; seed more")
    detail_ids = list(on_market.values_list("pk", flat=True)[:200])
    return {"cookie": settings.SESSION_COOKIE_NAME, "rooms": opened, "listings": detail_ids}


def _print_server_errors(server: Server) -> None:
    # The server's log (warnings and tracebacks) is read after it stops; show the end if anything went wrong.
    server.__exit__(None, None, None)
    errors = server.log_text()
    interesting = [line for line in errors.splitlines() if "Traceback" in line or "ERROR" in line]
    if interesting:
        print(f"server log: {len(interesting)} error line(s); last lines:")
        for line in errors.splitlines()[-15:]:
            print(f"  {line}")


# --- HTTP ------------------------------------------------------------------------------------------------------


@dataclass
class HttpResult:
    seconds: float = 0.0
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    failures: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies_ms.values())

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies_ms.values() for value in values]


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _http_phase(setup: dict, sizes: dict) -> bool:
    base = f"http://127.0.0.1:{PORT}"
    mix = []
    for index in range(max(len(SEARCH_QUERIES), len(BROWSE_FACETS), 60)):
        mix.append(("browse", f"{base}/patents/?{BROWSE_FACETS[index % len(BROWSE_FACETS)]}"))
        mix.append(("search", f"{base}/patents/?q={quote(SEARCH_QUERIES[index % len(SEARCH_QUERIES)])}"))
        mix.append(("detail", f"{base}/patents/{setup['listings'][index % len(setup['listings'])]}/"))
    trivial = [("live", f"{base}/healthz/live")]
    connections, seconds = sizes["connections"], sizes["seconds"]
    print(f"\nHTTP: {connections} connections, {seconds} s each (load average {os.getloadavg()[0]:.1f})")
    print(f"{'what':22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    results = {}
    for name, urls in (("browse/search/detail", mix), ("/healthz/live", trivial)):
        result = asyncio.run(_http_load(urls, connections, seconds))
        results[name] = result
        latencies = result.all_latencies()
        print(
            f"{name:22} {result.requests / result.seconds:8.1f} {statistics.median(latencies):8.1f} "
            f"{_percentile(latencies, 0.95):8.1f} {result.errors:7d}",
            flush=True,
        )
        if name != "/healthz/live":
            for kind, values in sorted(result.latencies_ms.items()):
                print(
                    f"  {kind:20} {len(values) / result.seconds:8.1f} {statistics.median(values):8.1f} "
                    f"{_percentile(values, 0.95):8.1f}"
                )
        for failure, count in result.failures.most_common(5):
            print(f"  failure: {failure} x{count}")
    mix_rate = results["browse/search/detail"].requests / results["browse/search/detail"].seconds
    ceiling = results["/healthz/live"].requests / results["/healthz/live"].seconds
    print(f"the mix runs at {mix_rate / ceiling:.2f}x the trivial view ({mix_rate:.1f} / {ceiling:.1f} req/s)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return all(result.errors == 0 for result in results.values())


async def _http_load(urls: list[tuple[str, str]], connections: int, seconds: float) -> HttpResult:
    result = HttpResult()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=60, follow_redirects=False) as client:
        # Warm up: every URL once (templates, the jieba dictionary, caches), not measured.
        for start in range(0, len(urls), connections):
            await asyncio.gather(*(client.get(url) for _kind, url in urls[start : start + connections]))
        stop_at = time.monotonic() + seconds

        async def worker(offset: int) -> None:
            index = offset
            while time.monotonic() < stop_at:
                kind, url = urls[index % len(urls)]
                index += connections
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    failure = None if response.status_code < 400 else f"{response.status_code} {kind}"
                except httpx.HTTPError as error:
                    failure = f"{type(error).__name__} {kind}"
                result.latencies_ms.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                if failure:
                    result.failures[failure] += 1

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(connections)))
        result.seconds = time.monotonic() - started
    return result


# --- WebSocket -------------------------------------------------------------------------------------------------


@dataclass
class Room:
    id: int
    sender: object = None
    receivers: list = field(default_factory=list)


@dataclass
class WsResult:
    connected: int = 0
    failures: Counter = field(default_factory=Counter)
    sent_at: dict[tuple[int, int], float] = field(default_factory=dict)
    received: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    # The delivery split at the moment the server stored the message (the event's created_at, wall clock of
    # this same machine): frame in -> stored, and stored -> pushed to a receiver.
    sent_wall: dict[tuple[int, int], float] = field(default_factory=dict)
    inbound_ms: list[float] = field(default_factory=list)
    outbound_ms: list[float] = field(default_factory=list)
    duplicates: int = 0


def _websocket_phase(setup: dict, sizes: dict) -> bool:
    rooms, clients, messages = sizes["rooms"], sizes["clients"], sizes["messages"]
    per_room = max(2, clients // rooms)
    print(
        f"\nWebSocket: {per_room * rooms} clients in {rooms} rooms; one sender per room posts {messages} messages, "
        f"one every {sizes['interval']:.1f} s (load average {os.getloadavg()[0]:.1f})"
    )
    result = asyncio.run(_ws_load(setup, per_room, messages, sizes["interval"]))
    expected = rooms * messages * (per_room - 1)
    delivered = sum(len(receivers) for receivers in result.received.values())
    lost = expected - delivered
    errors = sum(result.failures.values())
    latencies = result.latencies_ms
    header = ("clients", 8), ("sent", 6), ("expected", 9), ("received", 9), ("lost", 5), ("p50 ms", 8), ("p95 ms", 8)
    print(" ".join(f"{title:>{width}}" for title, width in header) + f" {'errors':>7}")
    print(
        f"{result.connected:8d} {len(result.sent_at):6d} {expected:9d} {delivered:9d} {lost:5d} "
        f"{_percentile(latencies, 0.5):8.1f} {_percentile(latencies, 0.95):8.1f} {errors:7d}"
    )
    if result.duplicates:
        print(f"  duplicates: {result.duplicates}")
    for failure, count in result.failures.most_common(5):
        print(f"  failure: {failure} x{count}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return lost == 0 and errors == 0 and result.duplicates == 0


async def _ws_load(setup: dict, per_room: int, messages: int, interval: float) -> WsResult:
    from websockets.asyncio.client import connect

    result = WsResult()
    origin = f"http://127.0.0.1:{PORT}"
    handshakes = asyncio.Semaphore(32)
    all_sockets = []

    async def open_socket(room_id: int, session_key: str):
        async with handshakes:
            try:
                socket = await connect(
                    f"ws://127.0.0.1:{PORT}/ws/negotiations/{room_id}/",
                    additional_headers={"Cookie": f"{setup['cookie']}={session_key}", "Origin": origin},
                    open_timeout=60,
                    max_queue=None,
                    # A slow server must show as latency, not as sockets this client closes on a late pong.
                    ping_interval=None,
                )
                ready = json.loads(await asyncio.wait_for(socket.recv(), 60))
            except Exception as error:  # noqa: BLE001 - every failure to join counts, whatever it is
                result.failures[f"connect: {type(error).__name__}: {error}"[:120]] += 1
                return None
            if ready.get("type") != "ready":
                result.failures[f"connect: {ready}"[:120]] += 1
                await socket.close()
                return None
            result.connected += 1
            all_sockets.append(socket)
            return socket

    room_list = []
    for room_index, room in enumerate(setup["rooms"]):
        keys = room["sessions"]
        sockets = await asyncio.gather(*(open_socket(room["id"], keys[i % len(keys)]) for i in range(per_room)))
        room_list.append(Room(id=room_index, sender=sockets[0], receivers=list(sockets[1:])))

    async def listen(room: Room, receiver_index: int, socket) -> None:
        try:
            async for frame in socket:
                arrived, arrived_wall = time.perf_counter(), time.time()
                data = json.loads(frame)
                if data.get("type") == "error":
                    result.failures[f"server error frame: {data.get('message')}"] += 1
                    continue
                body = (data.get("event") or {}).get("body", "") if data.get("type") == "room" else ""
                if receiver_index < 0 or not body.startswith("bench|"):
                    continue
                _tag, room_index, sequence = body.split("|")
                key = (int(room_index), int(sequence))
                if int(room_index) != room.id:
                    result.failures["a message reached another room"] += 1
                    continue
                seen = result.received.setdefault(key, set())
                if receiver_index in seen:
                    result.duplicates += 1
                    continue
                seen.add(receiver_index)
                result.latencies_ms.append((arrived - result.sent_at[key]) * 1000)
                stored = datetime.fromisoformat(data["event"]["created_at"]).timestamp()
                if len(seen) == 1:
                    result.inbound_ms.append((stored - result.sent_wall[key]) * 1000)
                result.outbound_ms.append((arrived_wall - stored) * 1000)
        except Exception as error:  # noqa: BLE001
            result.failures[f"receive: {type(error).__name__}"] += 1

    async def send_all(room: Room, offset: float) -> None:
        await asyncio.sleep(offset)
        for sequence in range(messages):
            key = (room.id, sequence)
            result.sent_at[key], result.sent_wall[key] = time.perf_counter(), time.time()
            try:
                await room.sender.send(json.dumps({"type": "message", "body": f"bench|{room.id}|{sequence}"}))
            except Exception as error:  # noqa: BLE001
                result.failures[f"send: {type(error).__name__}"] += 1
                return
            await asyncio.sleep(interval)

    listeners = []
    for room in room_list:
        if room.sender is None or any(socket is None for socket in room.receivers):
            continue
        # The sender listens too, for error frames; its own echo is not a delivery.
        listeners.append(asyncio.create_task(listen(room, -1, room.sender)))
        listeners.extend(asyncio.create_task(listen(room, i, s)) for i, s in enumerate(room.receivers))
    senders = [
        send_all(room, interval * index / len(room_list))
        for index, room in enumerate(room_list)
        if room.sender is not None
    ]
    await asyncio.gather(*senders)
    expected_per_key = per_room - 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if len(result.received) == len(result.sent_at) and all(
            len(seen) >= expected_per_key for seen in result.received.values()
        ):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)  # late duplicates would show here
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(socket.close() for socket in all_sockets), return_exceptions=True)
    return result
