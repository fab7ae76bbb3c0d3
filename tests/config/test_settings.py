"""Production settings: no default secret, `check --deploy` clean. Run in subprocesses with a clean env."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

from deals.contracts.signing import self_signed_pkcs12


def run_manage(*args, env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deployment_checklist_with_no_warning(tmp_path):
    # Production brings its own secrets: a key, a contract-signing certificate and a timestamp authority.
    certificate = tmp_path / "signing.p12"
    certificate.write_bytes(self_signed_pkcs12())
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "CONTRACT_SIGNING_PKCS12": str(certificate),
            "CONTRACT_SIGNING_TSA_URL": "https://tsa.example.com/tsr",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import json
from django.conf import settings

from deals.contracts.signing import self_signed_pkcs12
from django.test import Client, override_settings

names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY", "SECURE_PROXY_SSL_HEADER",
]
client = Client(HTTP_HOST="localhost")
plain = client.get("/accounts/login/")
live = client.get("/healthz/live")
health = client.get("/healthz", secure=True)
# Only the static manifest is swapped (collectstatic has not run here); every security setting is production's.
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
    login = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
csrf = login.cookies[settings.CSRF_COOKIE_NAME]
policy = login.headers.get("Content-Security-Policy", "")
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "live": live.status_code,
    "headers": {name: health.headers.get(name, "") for name in (
        "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
        "Cross-Origin-Opener-Policy")},
    "login": [login.status_code, login.headers.get("X-Frame-Options", "")],
    "csrf_cookie": {"secure": bool(csrf["secure"]), "samesite": csrf["samesite"]},
    "policy": {part.split()[0]: part.split()[1:] for part in policy.split("; ")},
}))
"""


def production_probe(tmp_path) -> dict:
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_PROBE,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_and_the_headers_of_a_response_served_under_them(tmp_path):
    probe = production_probe(tmp_path)
    assert probe["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    # Plain HTTP is sent to HTTPS, except the health probes (orchestrators probe over plain HTTP); over HTTPS every
    # answer carries the headers.
    assert probe["plain"] == [301, "https://localhost/accounts/login/"]
    assert probe["live"] == 200
    assert probe["headers"] == {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    # A page behind the TLS proxy (X-Forwarded-Proto) is served, framed by nobody, with a Secure CSRF cookie.
    assert probe["login"] == [200, "DENY"]
    assert probe["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    # The Content Security Policy, with Stripe's own Stripe.js (docs/content-security-policy.md).
    policy = probe["policy"]
    assert policy["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert policy["connect-src"][0] == "'self'" and policy["connect-src"][-1] == "https://api.stripe.com"
    assert "https://hooks.stripe.com" in policy["frame-src"]
    assert policy["style-src"] == ["'self'"]
    for directive, value in (("object-src", "'none'"), ("frame-ancestors", "'none'"), ("form-action", "'self'")):
        assert policy[directive] == [value]
