"""Production: no default for any secret, HTTPS everywhere, passes `manage.py check --deploy` cleanly."""

from config.settings.base import *
from config.settings.env import env_bool, env_int, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
# A contract is signed with the platform's own certificate (CONTRACT_SIGNING_PKCS12 or _KEY/_CERT), never a
# self-signed one made on the spot.
CONTRACT_SIGNING_SELF_SIGNED = False
# One JSON object per log line, for the log collector (LOG_FORMAT=plain to read them by eye).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Orchestrators probe health over plain HTTP inside the cluster; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail leaves through SMTP: EMAIL_HOST (see base.py), or the host's own mail relay when it is not set.
if DELIVERY_MAILER["BACKEND"].endswith("console.EmailBackend"):
    DELIVERY_MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "localhost", "port": 25},
    }
    MAILERS = {**MAILERS, "delivery": DELIVERY_MAILER}
