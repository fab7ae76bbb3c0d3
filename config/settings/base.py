"""Settings shared by every environment. Environment-specific files import this and override."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.settings.csp import cms_admin_policy, site_policy
from config.settings.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# SQLite, media and the test database live here; create it so a fresh clone needs no manual step.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first, so their templates and translations win; by layer, from the ground up (CONTRIBUTING.md).
    "marketplace.core",
    "marketplace.accounts",
    "marketplace.centres",
    "marketplace.organisations",
    "marketplace.background",
    "listings",
    "search",
    "demands",
    "matching",
    "deals",
    "drives",
    "payments",
    "auctions",
    "indicators",
    "cms",
    "portal",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django and friends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "dbtasks",
    # The second step at log-in of staff and brokers (marketplace.accounts.middleware): an authenticator app (TOTP)
    # and one-time recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Only for django-ninja's own copy of Swagger UI at /api/v1/docs; without it the page loads it from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "marketplace.core.logs.CheckedRequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Every response, static files too, carries the Content Security Policy (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step; then staff and brokers whose session did
    # not are held at that step, whatever page they ask for (marketplace.accounts.middleware).
    "marketplace.core.middleware.ViewerTimeZoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "marketplace.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "marketplace.accounts.middleware.PrivacyConsentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it stores what the view made and a stored page still passes through everything above.
    "marketplace.core.pagecache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # csp_nonce, for the nonce="" of an inline <script> (docs/content-security-policy.md).
                "django.template.context_processors.csp",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------------------
# Embedded default: SQLite in var/. DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # A pool, not persistent connections: we serve ASGI, where each HTTP request runs its sync code in a thread of
    # its own, so a connection kept for CONN_MAX_AGE is orphaned with that thread and PostgreSQL runs out of
    # connections under load; without any reuse, every socket event opens a new one (bench/README.md, `load`).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": env_int("DB_POOL_MAX_SIZE", 20), "timeout": 30},
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # WAL lets readers go on while one writer writes; the timeout rides out short write bursts. SQLite's
            # default page cache (2 MB per connection) is too small for a search reading thousands of index rows,
            # hence 64 MB and memory-mapped reads.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Redis carries the live pushes and the cache, never anything a page view needs: sessions are in the database,
# the cache falls back to the process's memory (marketplace.core.cache) and a push that cannot go is dropped
# (marketplace.core.notifications). Connections give up quickly so that a Redis outage does not hold pages.
REDIS_CONNECT_TIMEOUT = env_float("REDIS_CONNECT_TIMEOUT", 0.25)
# After a failure, the cache and the pushes leave Redis alone this long before trying again (a circuit breaker).
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5.0)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The default capacity (100) drops group messages under load; size it for a busy room. No socket
            # timeout: the consumers wait on Redis (BZPOPMIN) for seconds by design.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": REDIS_CONNECT_TIMEOUT}],
                "capacity": env_int("CHANNEL_CAPACITY", 1500),
                "expiry": 60,
            },
        }
    }
    # Redis pub/sub instead of lists: a group message is published once and each server process fans it out to
    # its own sockets (bench/auction.py, full: p95 78 ms against 467 ms with the default layer, same run
    # conditions). Not the default yet: its behaviour when Redis stops is not yet covered by the outage tests.
    if env_str("CHANNEL_LAYER_KIND", "lists") == "pubsub":
        CHANNEL_LAYERS["default"] = {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    CACHES = {
        "default": {
            "BACKEND": "marketplace.core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "RETRY_SECONDS": REDIS_RETRY_SECONDS,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": env_float("REDIS_SOCKET_TIMEOUT", 0.5),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Public page cache (marketplace.core.pagecache) -------------------------------------------------------------
# The views whose anonymous GET responses are kept in CACHES and served to every anonymous visitor, until a
# listing, centre or CMS page changes (portal/receivers.py) or PUBLIC_PAGE_CACHE_SECONDS pass (0 turns it off).
PUBLIC_PAGE_CACHE_VIEWS = {
    "portal:home",
    "search:finder",
    "listings:detail",
    "demands:list",
    "demands:detail",
    "notices:list",
    "notices:detail",
    "wagtail_serve",
}
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
# How long a browser or proxy may reuse such a page without asking (Cache-Control: public, max-age).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60)

# --- Search ------------------------------------------------------------------------------------------------
# Chosen by dotted path, like Wagtail's WAGTAILSEARCH_BACKENDS; callers use search.get_search_backend().
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
if ELASTICSEARCH_URL:
    SEARCH_BACKENDS["default"] = {
        "BACKEND": "search.backends.elasticsearch",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX": env_str("ELASTICSEARCH_INDEX", "ipmarket-listings"),
        "ANALYZER": env_str("ELASTICSEARCH_ANALYZER", "cjk"),
    }
# CMS pages use Wagtail's own search.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Payments ----------------------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Empty means Stripe's own API; tests and dev point it at localstripe.
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# The one script the platform may load from elsewhere (production: Stripe's own).
STRIPE_JS_URL = env_str("STRIPE_JS_URL", "https://js.stripe.com/v3/")

# --- Mail --------------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "IP Exchange <noreply@ipexchange.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST_FROM_ENV = env_str("EMAIL_HOST")
if EMAIL_HOST_FROM_ENV:
    DELIVERY_MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST_FROM_ENV,
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
else:
    DELIVERY_MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
# Every mail is queued in the database and sent by the task runner (marketplace.background.mail) through the
# delivery mailer; settings modules that change DELIVERY_MAILER rebuild MAILERS the same way.
MAIL_DELIVERY_MAILER = "delivery"
MAILERS = {"default": {"BACKEND": "marketplace.background.mail.QueuedEmailBackend"}, "delivery": DELIVERY_MAILER}

# --- Background work ---------------------------------------------------------------------------------------
# Django's task API on django-dbtasks' database backend: tasks are rows in the same database as the change that
# caused them, and `manage.py taskrunner` (one or more, anywhere) runs them. A runner missing heartbeats for
# worker_timeout seconds is dead and its started tasks go back in the queue.
TASKS = {
    "default": {
        "BACKEND": "dbtasks.backend.DatabaseBackend",
        "OPTIONS": {"worker_timeout": env_int("TASK_RUNNER_TIMEOUT", 60), "retain": timedelta(days=14)},
    }
}
# Periodic jobs, claimed once per run however many runners there are (marketplace.background.runner). A spec is
# a crontab in TIME_ZONE or a period ("1m", "1h").
PERIODIC_TASKS = {
    "marketplace.background.tasks.requeue_unsent_mail": "5m",
    "listings.tasks.expire_listings": "10 0 * * *",
    # A demand is open through its deadline day; it leaves the site in the first minutes of the next.
    "demands.tasks.expire_demands": "15 0 * * *",
    # New matches for people who chose the daily digest (matching.models.MatchPreference), once a day.
    "matching.tasks.send_match_digests": "0 8 * * *",
    # Contracts whose seal waited for the timestamp authority (or for a runner that died mid-seal).
    "deals.tasks.seal_unsealed_contracts": "5m",
    # Agreed-price notices whose period ended with no objection under review: the parties may sign.
    "deals.tasks.clear_price_notices": "10m",
    # Bidding rounds whose end passed: outcome, deal or 流拍, deposits back (auctions.services.round_close).
    "auctions.tasks.close_ended_rounds": "1m",
    "payments.tasks.reconcile_payments": "5m",
    "payments.tasks.compare_payments_with_gateway": "40 3 * * *",
    "payments.tasks.charge_instalments_due": "0 9 * * *",
    "payments.tasks.remind_overdue_instalments": "30 9 * * *",
    # Each committed listing change nudges a drain; this one catches up after a lost nudge or an engine outage.
    "search.tasks.drain_index_outbox": "1m",
    "search.tasks.send_alert_digests": "1h",
}

# --- Matching of demands and listings (matching.scoring) ---------------------------------------------
# Matches shown per demand (families of near-identical listings count once) and per listing; the score from which
# a pair is shown: below it nothing convincing matched.
MATCHING_TOP_N = env_int("MATCHING_TOP_N", 20)
MATCHING_MIN_SCORE = 0.35
# A demand shows what scores at least this share of its best match (matching.scoring).
MATCHING_RELATIVE_CUTOFF = 0.85

# --- People ------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend behind the login throttle (settings.RATE_LIMITS["login"]): it applies to every login form,
# ours, the CMS's and django-admin's.
AUTHENTICATION_BACKENDS = ["marketplace.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
# The name authenticator apps show beside the account. Wrong codes slow down per device: after n failures in a
# row the next try must wait 2^(n-1) seconds (django-otp's throttling), so guessing 10^6 codes is hopeless.
OTP_TOTP_ISSUER = "Zhejiang IP Exchange"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_REDIRECT_URL = "portal:workspace"
LOGOUT_REDIRECT_URL = "portal:home"
# The privacy notice in force (templates/accounts/privacy_notice.html), named by the date it took effect. Sign-up
# records consent to it; when it changes, each signed-in person is asked to accept the new version before going on
# (marketplace.accounts.middleware). Change it only together with the notice's text.
PRIVACY_NOTICE_VERSION = "2026-12-07"
# Where people write about their personal data (the notice's contact; PIPL art. 50-52).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@ipexchange.example")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Rate limits (marketplace.core.ratelimit, counted in CACHES) ---------------------------------------------
# login: failed attempts per account and address (a person's correct password is never blocked by someone else's
# failures elsewhere); enquiry: negotiations a person may open.
RATE_LIMITS = {
    "login": {"count": env_int("RATE_LIMIT_LOGIN_FAILURES", 10), "seconds": env_int("RATE_LIMIT_LOGIN_SECONDS", 900)},
    # The same account from any address, and any account from one address (spraying): three times as many.
    "login_account": {
        "count": 3 * env_int("RATE_LIMIT_LOGIN_FAILURES", 10),
        "seconds": env_int("RATE_LIMIT_LOGIN_SECONDS", 900),
    },
    "login_address": {
        "count": 3 * env_int("RATE_LIMIT_LOGIN_FAILURES", 10),
        "seconds": env_int("RATE_LIMIT_LOGIN_SECONDS", 900),
    },
    # Unlock links a person may have sent to one account per hour (each is a mail in someone's inbox).
    "unlock_mail": {"count": 3, "seconds": 3600},
    "enquiry": {"count": env_int("RATE_LIMIT_ENQUIRIES", 20), "seconds": env_int("RATE_LIMIT_ENQUIRY_SECONDS", 3600)},
    # Requests of one organisation API token (marketplace.organisations.api_auth): a system syncing its catalogue
    # sends one request a second on average, no more.
    "api_token": {
        "count": env_int("RATE_LIMIT_API_TOKEN", 120),
        "seconds": env_int("RATE_LIMIT_API_TOKEN_SECONDS", 60),
    },
}

# --- Language and time -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files -------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed by npm (package-lock.json), served by us: nothing loads from a CDN.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# A whole request body, refused while it arrives (marketplace.core.body_limit): one document of at most 10 MB
# and the form around it fit well inside.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every form takes one file (attachments, evidence, an import, a CMS upload): a request with more is refused (400).
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- Wagtail -----------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "浙江知识产权交易平台"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt"]
# The centres' news goes live through the provincial centre's approval (cms.services.centre_sections_sync);
# an edit made while a page is in moderation sends it back for approval.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# The admin calls no other host: no release check, no "what's new" banner, no Gravatar images.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Platform ----------------------------------------------------------------------------------------------
PLATFORM_NAME = _("Zhejiang IP Exchange")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# seed_demo creates accounts with published passwords (a superuser among them): it refuses to run without DEBUG
# unless this is set, for a throwaway site such as the benchmarks' and the browser journeys'.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)
# The small-cell rule (indicators/selectors/disclosure.py): the public sees "—" for a figure built from fewer deals.
INDICATORS_MIN_DEALS = env_int("INDICATORS_MIN_DEALS", 3)

# Every line carries the request id (marketplace.core.logs); LOG_FORMAT=json writes one JSON object per line.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "marketplace.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "stripe": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# Errors go to Sentry when SENTRY_DSN is set (no personal data: no cookies, bodies or user details).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    from marketplace.core.logs import tag_request_id

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
        before_send=tag_request_id,
    )

# --- Public notice of agreed prices (deals.models.PriceNotice) ----------------------------------------------
# Days a price agreed with a public university or institute is publicly noticed before the contract may be signed
# (促进科技成果转化法 art. 18; 15 days is the common minimum). The test settings set 0 so that tests which sign at once
# still can; the notices' own tests set 15.
PRICE_NOTICE_DAYS = env_int("PRICE_NOTICE_DAYS", 15)

# --- Bidding rounds (auctions) ------------------------------------------------------------------------------
# A round is announced (挂牌期) at least this many days before bidding starts, and with one qualified bidder it
# fails ("fail") or proceeds at the start price ("proceed"); a centre may set its own
# (auctions.models.CentreAuctionRules).
AUCTION_MIN_ANNOUNCEMENT_DAYS = env_int("AUCTION_MIN_ANNOUNCEMENT_DAYS", 10)
AUCTION_ONE_BIDDER_RULE = env_str("AUCTION_ONE_BIDDER_RULE", "fail")

# --- Contracts ---------------------------------------------------------------------------------------------
# The platform's key and certificate for the PDF digital signature (PAdES) on every final contract
# (deals.contracts.signing): a PKCS#12 file with its passphrase, or a PEM key and certificate. Where none is set and
# CONTRACT_SIGNING_SELF_SIGNED allows it (development, tests), a self-signed certificate is made on first use in
# CONTRACT_SIGNING_DIR; production sets no such fallback and refuses to sign without its own certificate.
CONTRACT_SIGNING_PKCS12 = env_str("CONTRACT_SIGNING_PKCS12", "")
CONTRACT_SIGNING_KEY = env_str("CONTRACT_SIGNING_KEY", "")
CONTRACT_SIGNING_CERT = env_str("CONTRACT_SIGNING_CERT", "")
CONTRACT_SIGNING_PASSPHRASE = env_str("CONTRACT_SIGNING_PASSPHRASE", "")
CONTRACT_SIGNING_SELF_SIGNED = True
CONTRACT_SIGNING_DIR = VAR_DIR / "contract-signing"
# A trusted timestamp authority (RFC 3161) for the signature, so its time is vouched for by a third party and
# not only claimed by the platform's clock (PAdES B-T). Empty: no timestamp (development, tests).
CONTRACT_SIGNING_TSA_URL = env_str("CONTRACT_SIGNING_TSA_URL", "")
CONTRACT_SIGNING_TSA_TIMEOUT = env_float("CONTRACT_SIGNING_TSA_TIMEOUT", 10.0)

# --- Payments (continued) ----------------------------------------------------------------------------------
PAYMENT_GATEWAY = "payments.gateways.stripe_gateway.gateway_from_settings"
# The platform's service fee on fixed sums, in basis points (100 = 1 %), paid by the buyer and disclosed upfront.
PLATFORM_SERVICE_FEE_BASIS_POINTS = env_int("PLATFORM_SERVICE_FEE_BASIS_POINTS", 100)
PAYMENT_CURRENCY = "CNY"
# A card attempt of which the gateway has no trace after this long never reached it (a request gives up after
# 30 s and is retried once): it fails, and the payer may try again. Open attempts are never given up sooner.
PAYMENT_ATTEMPT_STALE_SECONDS = env_int("PAYMENT_ATTEMPT_STALE_SECONDS", 120)
# An attempt waiting this long for the payer's bank (3-D Secure) is cancelled, so the amount can be paid otherwise.
PAYMENT_ACTION_TIMEOUT_SECONDS = env_int("PAYMENT_ACTION_TIMEOUT_SECONDS", 3600)

# --- Content Security Policy (config/settings/csp.py, docs/content-security-policy.md) ----------------------
# Another origin pages may use, by directive: {"frame-src": ["https://player.example"]}. An environment module
# that changes this, STRIPE_JS_URL or SITE_URL builds both policies again.
CSP_EXTRA_SOURCES: dict[str, list[str]] = {}
SECURE_CSP = site_policy(site_url=SITE_URL, stripe_js_url=STRIPE_JS_URL, extra=CSP_EXTRA_SOURCES)
CMS_ADMIN_CSP = cms_admin_policy(SECURE_CSP)
