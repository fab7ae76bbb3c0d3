"""The embedded default for `make run`: SQLite, in-memory channel layer, database search, console mail."""

from config.settings.base import *
from config.settings.csp import cms_admin_policy, site_policy
from config.settings.env import env_bool, env_int, env_str

DEBUG = env_bool("DEBUG", True)
# Development only: a fixed key is fine because nothing here is secret. Production has no default.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105
ALLOWED_HOSTS = ["*"]
# A development site (its SECRET_KEY is published) may hold the demo data even with DEBUG off, as the
# benchmarks run it; production settings need DEMO_DATA_ALLOWED=true for that.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", True)
STRIPE_SECRET_KEY = STRIPE_SECRET_KEY or "sk_test_localstripe"
STRIPE_PUBLISHABLE_KEY = STRIPE_PUBLISHABLE_KEY or "pk_test_localstripe"
STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET or "whsec_dev_localstripe"  # noqa: S105
# localstripe, which `make run` starts on STRIPE_PORT (scripts/serve.py).
LOCALSTRIPE_URL = f"http://127.0.0.1:{env_int('STRIPE_PORT', 8420)}"
STRIPE_API_BASE = STRIPE_API_BASE or LOCALSTRIPE_URL
STRIPE_JS_URL = env_str("STRIPE_JS_URL", f"{LOCALSTRIPE_URL}/js.stripe.com/v3/")
# The pages may load that stand-in and let it call localstripe.
SECURE_CSP = site_policy(site_url=SITE_URL, stripe_js_url=STRIPE_JS_URL, extra=CSP_EXTRA_SOURCES)
CMS_ADMIN_CSP = cms_admin_policy(SECURE_CSP)

# Serve static files straight from the apps and node_modules, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
