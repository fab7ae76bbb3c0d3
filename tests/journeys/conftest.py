"""Browser journeys: the platform as it runs in production, driven by a real chromium.

Once per test session: a throwaway site (its own VAR_DIR; its own PostgreSQL database when DATABASE_URL is set)
is migrated, seeded with the demo data, indexed and its static files collected; then localstripe and uvicorn
(production settings, plain HTTP on loopback, the Redis channel layer when REDIS_URL is set) start on free
ports, and everything is stopped and removed at the end. Each journey class gets one browser context per person,
who logs in through the site's own login page.

Every page of every journey listens for Content Security Policy violations (a refused script, style, frame or
connection, in the page or its frames, and chromium's "Refused to ..." console errors): a step that caused one
fails, so a change that the policy would break in the browser cannot pass (docs/content-security-policy.md).

Without chromium the journeys are skipped on a laptop, but fail under CI (the CI variable is set): a check that
cannot run there must not pass silently.
"""

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from django_otp.oath import TOTP

from bench.common import production_env
from portal.demo.seed import DEMO_TOTP_KEY, DEMO_USERS
from tests.journeys.ui import ARTIFACTS, zh
from tests.servers import free_port, localstripe_command, localstripe_ready_url, running, tail
from tests.sites import DEFAULT_STEPS, prepare, taskrunner_command, throwaway_database, uvicorn_command

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-2026"  # published in the README, created by seed_demo
WEBHOOK_SECRET = "whsec_journeys_localstripe"
# The demo accounts asked for a second step at log-in: staff and brokers (seed_demo gives them DEMO_TOTP_KEY).
DEMO_STAFF = {demo.email for demo in DEMO_USERS if demo.centre or demo.superuser}
# Generous for a loaded 2-core machine; a passing run never waits this long, it only bounds a failing one.
ACTION_TIMEOUT_MS = 20_000
# Run in every page and frame before its own scripts: each violation goes to the test through a binding (which the
# policy cannot block: Playwright injects both outside the page's own scripts).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "",
    sample: event.sample,
  });
});
"""


# --- Is there a browser? -------------------------------------------------------------------------------------


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}: the browser journeys must run in CI (install chromium and fonts-noto-cjk)")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM")  # another build, or a path that does not exist to try the skip
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium: Playwright's own browsers are never downloaded."""
    path = _find_chromium()
    if path is None:
        _unavailable("chromium is not installed")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed")
    return path


# --- The live site -------------------------------------------------------------------------------------------


@dataclass
class LiveSite:
    url: str
    stripe_url: str
    var_dir: Path
    server_log: Path
    env: dict[str, str] = field(default_factory=dict)  # to run the site's own manage.py commands

    def log_tail(self) -> str:
        try:
            return tail(self.server_log)
        except OSError:
            return ""


@pytest.fixture(scope="session")
def live_site(chromium_path, tmp_path_factory) -> Iterator[LiveSite]:
    var_dir = tmp_path_factory.mktemp("journeys-site")
    stripe_port, app_port = free_port(), free_port()
    stripe_url, app_url = f"http://127.0.0.1:{stripe_port}", f"http://127.0.0.1:{app_port}"
    with ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database("journeys"))
        env = production_env(
            var_dir,
            STRIPE_API_BASE=stripe_url,
            STRIPE_JS_URL=f"{stripe_url}/js.stripe.com/v3/",
            STRIPE_SECRET_KEY="sk_test_journeys",
            STRIPE_PUBLISHABLE_KEY="pk_test_journeys",
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            SITE_URL=app_url,
            DEMO_DATA_ALLOWED="true",  # a throwaway test server: the demo accounts are what the journeys use
            # The journey follows one deal onto the public dashboard; the small-cell rule, which would show it as
            # "—", has its own tests (tests/indicators/test_small_cells.py).
            INDICATORS_MIN_DEALS="0",
            # The journeys sign a university's deal the day it is agreed; the public notice of agreed prices that
            # would hold it for 15 days has its own tests (tests/deals/test_price_notices.py).
            PRICE_NOTICE_DAYS="0",
            # Production signs contracts with a certificate of its own; this site's is made below, before the seed.
            CONTRACT_SIGNING_PKCS12=str(var_dir / "contract-signing.p12"),
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        # REDIS_URL, when set, passes through: the server then uses the Redis channel layer and cache.
        prepare(env, var_dir, steps=(["contract_signing_certificate", env["CONTRACT_SIGNING_PKCS12"]], *DEFAULT_STEPS))

        stack.enter_context(
            running(
                localstripe_command(stripe_port, var_dir / "localstripe"),
                env=env,
                log=var_dir / "logs" / "localstripe.log",
                ready_url=localstripe_ready_url(stripe_url),
                what="localstripe",
            )
        )
        stack.enter_context(
            running(
                taskrunner_command("journeys"),
                env=env,
                log=var_dir / "logs" / "taskrunner.log",
                ready_url=None,
                what="task runner",
            )
        )
        server_log = var_dir / "logs" / "uvicorn.log"
        stack.enter_context(
            running(
                uvicorn_command(app_port),
                env=env,
                log=server_log,
                ready_url=f"{app_url}/healthz",
                what="uvicorn",
            )
        )
        # localstripe keeps webhook endpoints in memory: register ours with the fresh server.
        httpx.post(
            f"{stripe_url}/_config/webhooks/journeys",
            data={"url": f"{app_url}/payments/webhooks/stripe/", "secret": WEBHOOK_SECRET},
            timeout=5,
        ).raise_for_status()
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()
        yield LiveSite(url=app_url, stripe_url=stripe_url, var_dir=var_dir, server_log=server_log, env=env)


# --- The browser and the people in it -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One chromium per journey module, closed before the rest of the suite runs."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The last period whose code each account typed: a code once accepted is refused after (django-otp's replay guard).
_code_periods_used: dict[str, int] = {}


def demo_code(email: str) -> str:
    """What the authenticator app of a demo staff account shows: the code of this 30-second period, or of the
    next one if this account already used this one (the site takes the next period's code too)."""
    generator = TOTP(DEMO_TOTP_KEY)
    period = max(generator.t(), _code_periods_used.get(email, -1) + 1)
    while period > generator.t() + 1:
        time.sleep(1)
        generator = TOTP(DEMO_TOTP_KEY)
    _code_periods_used[email] = period
    generator.time = period * generator.step
    return f"{generator.token():06d}"


@dataclass
class People:
    """Browser contexts of the people in one journey: separate cookies, so separate sessions."""

    browser: object
    site: LiveSite
    pages: dict[str, object] = field(default_factory=dict)
    csp_violations: list[str] = field(default_factory=list)

    def _new_page(self, who: str):
        context = self.browser.new_context(
            base_url=self.site.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.expose_binding("reportCspViolation", lambda _source, seen: self._csp_violation(who, seen))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: self._console(who, message))
        page = context.new_page()
        self.pages[who] = page
        return page

    def visitor(self, who: str = "visitor"):
        """Someone who has not logged in (the public)."""
        return self.pages.get(who) or self._new_page(who)

    def member(self, email: str, password: str = DEMO_PASSWORD):
        """A demo account, logged in the way a person does it: the header's log-in link, e-mail, password."""
        if email in self.pages:
            return self.pages[email]
        from playwright.sync_api import expect

        page = self._new_page(email)
        page.goto("/")
        page.get_by_role("banner").get_by_role("link", name=zh("Log in"), exact=True).click()
        page.get_by_label(zh("E-mail address")).fill(email)
        page.get_by_label(zh("Password")).fill(password)
        page.get_by_role("main").get_by_role("button", name=zh("Log in"), exact=True).click()
        expect(page.get_by_role("banner").get_by_role("button", name=zh("Log out"))).to_be_visible()
        if email in DEMO_STAFF:
            # Staff and brokers are held at the second step until they type their authenticator app's code.
            expect(page).to_have_url(re.compile(r"/accounts/two-step/code/"))
            page.get_by_label(zh("Verification code")).fill(demo_code(email))
            page.get_by_role("main").get_by_role("button", name=zh("Confirm"), exact=True).click()
            expect(page).not_to_have_url(re.compile(r"/accounts/two-step/"))
        return page

    def _csp_violation(self, who: str, seen: dict) -> None:
        where = f" (from {seen['source']})" if seen["source"] else ""
        sample = f": {seen['sample']!r}" if seen["sample"] else ""
        self.csp_violations.append(
            f"{who} on {seen['page']}: {seen['directive']} refused {seen['blocked'] or 'inline'}{where}{sample}"
        )

    def _console(self, who: str, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(f"{who} on {message.page.url if message.page else '?'}: {message.text}")

    def take_csp_violations(self) -> list[str]:
        seen, self.csp_violations = self.csp_violations, []
        return seen

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()


@pytest.fixture(scope="class")
def people(browser, live_site) -> Iterator[People]:
    crowd = People(browser=browser, site=live_site)
    yield crowd
    crowd.close()


# --- A journey is a story: one step failing makes the next ones pointless ------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or item.get_closest_marker("browser") is None:
        return
    if isinstance(item.parent, pytest.Class):
        item.parent.journey_failed_at = item.name
    crowd = item.funcargs.get("people")
    if crowd is not None:
        for who, page in list(crowd.pages.items()):
            try:
                path = ARTIFACTS / f"FAILED-{item.name}-{who.split('@')[0]}.png"
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
                report.sections.append((f"screenshot of {who}", f"{path} at {page.url}"))
            except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the real failure
                report.sections.append((f"screenshot of {who}", f"not taken: {error}"))
    site = item.funcargs.get("live_site")
    if site is not None:
        report.sections.append(("server log (end)", site.log_tail()))


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """A journey step passes only if no page it used met a Content Security Policy violation."""
    result = yield
    crowd = pyfuncitem.funcargs.get("people")
    if crowd is not None:
        for page in crowd.pages.values():
            page.wait_for_timeout(200)  # violations are reported as events, a moment after the page acted
        violations = crowd.take_csp_violations()
        assert not violations, "Content Security Policy violations:\n" + "\n".join(dict.fromkeys(violations))
    return result


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None or not isinstance(item.parent, pytest.Class):
        return
    failed_at = getattr(item.parent, "journey_failed_at", None)
    if failed_at:
        pytest.xfail(f"an earlier step of this journey failed: {failed_at}")
