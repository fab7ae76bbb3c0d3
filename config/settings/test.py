"""Settings for the test suite: the embedded default, or PostgreSQL / Redis when their URLs are set."""

from config.settings.base import *
from config.settings.env import env_int, env_str

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file-backed test database that --reuse-db keeps between runs, rather than running Wagtail's migrations each time.
# TEST_DATABASE_NAME names it on either database, so two runs at once (two checkouts' suites) do not share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{env_str('TEST_DATABASE_NAME', 'test')}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "ipmarket_test")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The async socket tests end each test's event loop with its threads; a connection such a thread still held is
    # closed when the thread is collected (the server then holds a handful), but psycopg's pool still counts it as
    # lent, about one per socket test. With production's 20, the suite's later threads found the pool empty
    # ("couldn't get a connection after 30.00 sec"); the test process's pool gets room for that bookkeeping (it
    # opens a connection only when none is idle, so the server still sees a handful).
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = 100

# Tests seed the demo data into their own throwaway database.
DEMO_DATA_ALLOWED = True
# Django's test runner makes every mailer locmem, the queue included; tests of the queue restore it themselves.
DELIVERY_MAILER = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
MAILERS = {**MAILERS, "delivery": DELIVERY_MAILER}
# Tasks run as they are enqueued, inside the test's transaction; tests of the runner use a backend of their own.
TASKS = {"default": {**TASKS["default"], "OPTIONS": {**TASKS["default"]["OPTIONS"], "immediate": True}}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STRIPE_SECRET_KEY = STRIPE_SECRET_KEY or "sk_test_localstripe"
STRIPE_PUBLISHABLE_KEY = STRIPE_PUBLISHABLE_KEY or "pk_test_localstripe"
STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET or "whsec_test_secret"  # noqa: S105
# The payments tests start their own localstripe on a free port and point the gateway at it; this is the default
# for anything else that talks to Stripe.
LOCALSTRIPE_URL = f"http://127.0.0.1:{env_int('STRIPE_PORT', 8420)}"
STRIPE_API_BASE = STRIPE_API_BASE or LOCALSTRIPE_URL
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The suite logs in and enquires far more often than a person; tests of the limits set their own small ones.
RATE_LIMITS = {
    "login": {"count": 1000, "seconds": 900},
    "login_account": {"count": 3000, "seconds": 900},
    "login_address": {"count": 3000, "seconds": 900},
    "unlock_mail": {"count": 1000, "seconds": 3600},
    "enquiry": {"count": 1000, "seconds": 3600},
    "api_token": {"count": 10000, "seconds": 60},
}
# The figures' own tests check raw sums with a deal or two; the small-cell rule's tests
# (tests/indicators/test_small_cells.py) set the minimum they test.
INDICATORS_MIN_DEALS = 0
# Tests sign deals right after agreeing them; the agreed-price notices' own tests (tests/deals/test_price_notices.py)
# set the period they test.
PRICE_NOTICE_DAYS = 0
