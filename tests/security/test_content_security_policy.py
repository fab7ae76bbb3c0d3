"""The Content Security Policy (config/settings/csp.py, docs/content-security-policy.md): every page of the
public site and the workspace is sent with the strict policy and holds nothing it refuses; an inline script runs
only with its own response's nonce; Wagtail's admin gets its relaxed policy, django-admin the strict one; no
template carries an inline event handler or a javascript: address. The browser side (no violation on the pages
people use) is in tests/journeys/test_key_pages_under_the_policy.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.test import Client
from django.urls import include, path
from django.utils.csp import CSP, build_policy

from config.settings.csp import cms_admin_policy, site_policy, stripe_sources
from config.urls import urlpatterns as project_urlpatterns
from config.urls import with_cms_admin_policy
from tests.cms.conftest import make_home
from tests.factories import CentreStaffFactory, UserFactory, authenticator_for, sign_in
from tests.security.csp import markup_of, nonce_sent, policy_problems
from tests.security.test_permission_matrix import MATRIX, check


@pytest.mark.django_db
def test_the_walk_over_every_page_reads_each_one_against_the_policy(objects, settings):
    """test_permission_matrix.py opens every page of the site and the workspace for every role; each page it gets
    (200) is read against the policy there, so a new page is covered as soon as the matrix has its row."""
    settings.SECURE_CSP = {}  # no policy at all: the walk must say so for every page
    problems = check("", MATRIX[""], objects)
    assert len(problems) == 7 and all(problem.endswith("no Content-Security-Policy header") for problem in problems)
    for route in (
        "",
        "patents/",
        "patents/<int:pk>/",
        "workspace/",
        "deals/negotiations/<int:pk>/",
        "payments/deals/<int:pk>/",
        "indicators/",
        "deals/<int:pk>/contract/",
        "^((?:[\\w\\-]+/)*)$",
    ):
        assert any(probe.method == "GET" and "200" in probe.expect.split() for probe in MATRIX[route]), route


def test_the_policy_reading_catches_what_it_looks_for(rf):
    page = b'<p onclick="x" style="color:red"><a href=" javascript:x">a</a></p><style>p{}</style><script>1</script>'
    response = HttpResponse(page)
    response[CSP.HEADER_ENFORCE] = build_policy(settings.SECURE_CSP, "abc")
    assert len(policy_problems(response, page, policy=settings.SECURE_CSP)) == 5
    response[CSP.HEADER_ENFORCE] = build_policy(settings.CMS_ADMIN_CSP)
    assert "another policy" in policy_problems(response, b"", policy=settings.SECURE_CSP)[0]
    fine = b'<script type="application/ld+json">{}</script><script nonce="abc">1</script><script src="/s.js"></script>'
    response[CSP.HEADER_ENFORCE] = build_policy(settings.SECURE_CSP, "abc")
    assert policy_problems(response, fine, policy=settings.SECURE_CSP) == []


# --- The nonce ---------------------------------------------------------------------------------------------------

INLINE_SCRIPT_PAGE = '<!DOCTYPE html><title>t</title><script nonce="{{ csp_nonce }}">document.title = "ran";</script>'


def page_with_an_inline_script(request):
    return HttpResponse(engines["django"].from_string(INLINE_SCRIPT_PAGE).render({}, request))


urlpatterns = [path("inline-script/", page_with_an_inline_script), path("", include(project_urlpatterns))]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_an_inline_script_carries_its_own_responses_nonce_and_each_response_has_a_fresh_one(client):
    first, second = client.get("/inline-script/"), client.get("/inline-script/")
    for response in (first, second):
        nonce = nonce_sent(response)
        assert nonce and len(nonce) >= 22  # 128 bits or more, from secrets.token_urlsafe
        assert markup_of(response.content).inline_script_nonces == [nonce]
        assert response[CSP.HEADER_ENFORCE] == build_policy(settings.SECURE_CSP, nonce)
    assert nonce_sent(first) != nonce_sent(second)


@pytest.mark.django_db
def test_a_page_that_uses_no_nonce_names_none_so_no_inline_script_can_run(client):
    response = client.get("/accounts/login/")
    assert markup_of(response.content).inline_script_nonces == []
    assert "'nonce-" not in response[CSP.HEADER_ENFORCE]
    assert "'unsafe-inline'" not in response[CSP.HEADER_ENFORCE]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authenticator, page", [(False, "/accounts/two-step/set-up/"), (True, "/accounts/two-step/code/")]
)
def test_the_second_steps_pages_hold_nothing_the_policy_refuses(world, authenticator, page):
    """The walk signs staff in the whole way (tests.factories.sign_in): these are the pages between the password
    and the code, the set-up one with its QR code drawn as SVG."""
    broker = CentreStaffFactory(centre=world.ningbo).user
    if authenticator:
        authenticator_for(broker)
    client = Client()
    client.force_login(broker)
    response = client.get(page)
    assert response.status_code == 200
    assert policy_problems(response, response.content, policy=settings.SECURE_CSP) == []
    assert authenticator or b"<svg" in response.content


# --- The admin sites ---------------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(db):
    return sign_in(Client(), UserFactory(email="csp-admin@example.cn", is_staff=True, is_superuser=True))


@pytest.mark.parametrize(
    "where",
    ["/django-admin/", "/django-admin/accounts/user/", "/django-admin/accounts/user/add/", "/django-admin/login/"],
)
def test_django_admin_keeps_the_strict_policy_with_its_own_fresh_nonce(superuser_client, where):
    client = Client() if where.endswith("/login/") else superuser_client
    first, second = client.get(where), client.get(where)
    for response in (first, second):
        assert response.status_code == 200, where
        assert policy_problems(response, response.content, policy=settings.SECURE_CSP) == []
        assert markup_of(response.content).nonces, "django-admin's templates put the nonce on what they include"
    assert nonce_sent(first) != nonce_sent(second)


@pytest.mark.parametrize("where", ["/cms/", "/cms/pages/", "/cms/images/", "/cms/login/"])
def test_wagtail_admin_gets_its_relaxed_policy(superuser_client, where):
    make_home()  # the page tree, which a transactional test may have emptied
    response = (Client() if where.endswith("/login/") else superuser_client).get(where)
    assert response.status_code == 200, where
    assert response[CSP.HEADER_ENFORCE] == build_policy(settings.CMS_ADMIN_CSP)


def test_the_relaxed_admin_policy_allows_inline_code_without_a_nonce_and_framing_by_the_admin_alone():
    relaxed = build_policy(settings.CMS_ADMIN_CSP)
    assert "'nonce-" not in build_policy(settings.CMS_ADMIN_CSP, "n")  # a nonce would switch 'unsafe-inline' off
    assert "script-src 'self'" in relaxed and "'unsafe-inline'" in relaxed
    assert "frame-ancestors 'self'" in relaxed and "object-src 'none'" in relaxed


def test_a_page_preview_rendered_with_the_sites_policy_is_sent_with_the_admins(rf):
    """Wagtail renders a preview through the middleware once more, which gives it the site's policy (framed by
    nobody); the admin shows it in a frame of its own."""

    def preview(request):
        response = HttpResponse("预览")
        response[CSP.HEADER_ENFORCE] = build_policy(settings.SECURE_CSP)
        return response

    response = ContentSecurityPolicyMiddleware(with_cms_admin_policy(preview))(rf.get("/cms/pages/1/edit/preview/"))
    assert response[CSP.HEADER_ENFORCE] == build_policy(settings.CMS_ADMIN_CSP)


# --- The policy, from the settings -------------------------------------------------------------------------------


def test_stripes_own_stripe_js_brings_its_frames_and_api_and_a_stand_in_only_its_own_address():
    own = stripe_sources("https://js.stripe.com/v3/")
    assert own["script-src"][0] == "https://js.stripe.com"
    assert own["connect-src"] == ["https://api.stripe.com"]
    assert "https://hooks.stripe.com" in own["frame-src"]  # the bank's 3-D Secure page
    stand_in = stripe_sources("http://127.0.0.1:8420/js.stripe.com/v3/")
    assert stand_in == {"script-src": ["http://127.0.0.1:8420"], "connect-src": ["http://127.0.0.1:8420"]}


def test_the_site_policy_names_its_socket_origin_and_frames_nothing_without_stripes_frames():
    policy = site_policy(site_url="https://ipx.example.cn", stripe_js_url="http://127.0.0.1:8420/js.stripe.com/v3/")
    assert policy["connect-src"] == [CSP.SELF, "wss://ipx.example.cn", "http://127.0.0.1:8420"]
    assert policy["frame-src"] == [CSP.NONE]
    assert policy["script-src"] == [CSP.SELF, CSP.NONCE, "http://127.0.0.1:8420"]
    for directive, value in (("object-src", [CSP.NONE]), ("frame-ancestors", [CSP.NONE]), ("base-uri", [CSP.SELF])):
        assert policy[directive] == value


def test_another_origin_is_allowed_through_csp_extra_sources_and_only_where_named():
    policy = site_policy(
        site_url="https://ipx.example.cn",
        stripe_js_url="http://127.0.0.1:8420/js.stripe.com/v3/",
        extra={"frame-src": ["https://player.example.cn"], "img-src": ["https://tiles.example.cn"]},
    )
    assert policy["frame-src"] == ["https://player.example.cn"]  # 'none' gives way to the origin named
    assert policy["img-src"] == [CSP.SELF, "data:", "https://tiles.example.cn"]
    assert policy["script-src"] == [CSP.SELF, CSP.NONCE, "http://127.0.0.1:8420"]
    with pytest.raises(ValueError, match="frame-ancestors"):
        site_policy(site_url="", stripe_js_url="", extra={"frame-ancestors": ["https://evil.example"]})
    assert "'unsafe-inline'" in build_policy(cms_admin_policy(policy))


# --- The templates -------------------------------------------------------------------------------------------------

TEMPLATE_DIRS = [Path(settings.BASE_DIR, "templates")] + sorted(
    folder
    for folder in Path(settings.BASE_DIR).glob("*/**/templates")
    if not {".venv", "node_modules", "var"} & set(folder.relative_to(settings.BASE_DIR).parts)
)
# An attribute named on… in a tag (a template tag's {% … %} inside a tag is part of the tag here).
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


def template_files() -> list[Path]:
    return sorted(file for folder in TEMPLATE_DIRS for file in folder.rglob("*") if file.is_file())


def test_the_template_walk_finds_the_templates():
    names = {str(file.relative_to(settings.BASE_DIR)) for file in template_files()}
    assert {"templates/base.html", "templates/search/finder.html", "templates/deals/contract.html"} <= names


@pytest.mark.parametrize("template", template_files(), ids=lambda file: str(file.relative_to(settings.BASE_DIR)))
def test_no_template_has_an_inline_event_handler_or_a_javascript_address(template):
    text = template.read_text()
    assert not INLINE_HANDLER.search(text), f"an inline event handler: {INLINE_HANDLER.search(text).group(0)!r}"
    assert not JAVASCRIPT_URL.search(text), "a javascript: address"
    # The policy refuses inline styles too; an inline <script> needs the nonce (docs/content-security-policy.md).
    assert not re.search(r"<[a-zA-Z][^>]*?\sstyle\s*=", text), "a style attribute"
    assert not re.search(r"<style[\s>]", text), "an inline <style>"
    for script in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in script or "nonce=" in script or "application/" in script, f"{script} without a nonce"


def test_the_template_check_catches_what_it_looks_for():
    for bad in ('<select onchange="this.form.submit()">', '<a href="JavaScript:go()">', '<button\n  onclick="x">'):
        assert INLINE_HANDLER.search(bad) or JAVASCRIPT_URL.search(bad)
    assert not INLINE_HANDLER.search('<select data-submit-on-change id="sort">')
