"""The public pages' cache (marketplace.core.pagecache): served again to anonymous visitors without running the
view, never across people, forgotten when what they show changes; and the Cache-Control every page says."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from listings.models import ListingStatus
from listings.services import listing_set_status, listing_update
from search import get_search_backend, reset_search_backends
from search.documents import build_document
from tests.cms.conftest import make_home, make_index
from tests.factories import ListingFactory, listing_on_market, sign_in

pytestmark = pytest.mark.django_db

SIGNED_IN_ROLES = ("buyer", "seller", "centre_broker", "root")


@pytest.fixture
def listing(world, settings):
    """On the market and in the search index (the finder's source), as publishing leaves it."""
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
    reset_search_backends()
    backend = get_search_backend()
    backend.reset_index()
    on_market = listing_on_market(seller=world.university, seller_user=world.seller, broker=world.ningbo_broker)
    backend.add_bulk([build_document(on_market)])
    yield on_market
    reset_search_backends()


@pytest.fixture
def draft(world):
    return ListingFactory(seller=world.university, title="机密草稿固态电解质技术XK7")


@pytest.fixture
def public_urls(listing):
    return ["/", "/patents/", "/patents/?mode=licence", f"/patents/{listing.pk}/"]


def user_of(world, role):
    return {
        "buyer": world.buyer,
        "seller": world.seller,
        "centre_broker": world.ningbo_broker,
        "root": world.root_staff,
    }[role]


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def looks_anonymous(text: str) -> bool:
    return "data-user-id=" not in text and "/accounts/logout/" not in text and 'href="/accounts/login/' in text


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- What is stored, and what it costs --------------------------------------------------------------------


def test_an_anonymous_public_page_is_served_again_without_a_query(client, public_urls):
    for url in public_urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert queries_for(client, url) == 0, url
        assert client.get(url).content == first.content


def test_anonymous_public_pages_set_no_cookie_and_touch_no_session(client, public_urls):
    for url in public_urls:
        for _ in range(2):  # rendered, then from the cache
            response = client.get(url)
            assert response.cookies == {}, url
            assert "csrfmiddlewaretoken" not in response.text, url
            assert client.cookies.get("sessionid") is None


def test_anonymous_public_pages_are_public_for_a_short_while_with_an_etag(client, listing, settings):
    url = f"/patents/{listing.pk}/"
    for _ in range(2):
        response = client.get(url)
        control = response["Cache-Control"]
        assert "public" in control and f"max-age={settings.PUBLIC_PAGE_MAX_AGE}" in control
        assert response["ETag"].startswith('"')
        # The same address is another page once signed in or in English: a browser must not reuse it then.
        assert "Cookie" in response["Vary"]
        assert "Accept-Language" not in response.get("Vary", "")


def test_a_conditional_get_with_the_etag_answers_304(client, listing):
    url = f"/patents/{listing.pk}/"
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_etag_of_a_stored_page_is_the_one_sent_when_it_was_rendered(client):
    rendered = client.get("/patents/")
    stored = client.get("/patents/")
    assert rendered["ETag"] == stored["ETag"]
    assert client.get("/patents/", HTTP_IF_NONE_MATCH=rendered["ETag"]).status_code == 304


def test_each_language_is_stored_apart(client):
    assert '<html lang="zh-Hans">' in client.get("/patents/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/patents/"})
    assert '<html lang="en">' in client.get("/patents/").text
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/patents/"})
    assert '<html lang="zh-Hans">' in client.get("/patents/").text


def test_the_language_switch_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").text


def test_a_page_carrying_a_message_is_not_served_from_the_cache(client):
    client.get("/patents/")
    client.get("/patents/")  # stored, without a message
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "您的检索已保存WX3")])
    response = client.get("/patents/")
    assert "您的检索已保存WX3" in response.text
    assert "private" in response["Cache-Control"]
    assert "您的检索已保存WX3" not in Client().get("/patents/").text


# --- Never across people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_what_a_signed_in_person_sees_is_never_served_to_an_anonymous_visitor(client, world, public_urls, role):
    user = user_of(world, role)
    person = signed_in(user)
    for url in public_urls:
        theirs = person.get(url)
        assert theirs.status_code == 200
        assert f'data-user-id="{user.pk}"' in theirs.text and str(user) in theirs.text, url
        assert "private" in theirs["Cache-Control"] and "public" not in theirs["Cache-Control"], url
        anonymous = client.get(url)
        assert looks_anonymous(anonymous.text), url
        assert str(user) not in anonymous.text, url


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_a_stored_anonymous_page_is_never_served_to_a_signed_in_person(client, world, public_urls, role):
    user = user_of(world, role)
    for url in public_urls:
        client.get(url)
        client.get(url)  # now certainly stored
    person = signed_in(user)
    for url in public_urls:
        text = person.get(url).text
        assert f'data-user-id="{user.pk}"' in text and str(user) in text, url
        assert not looks_anonymous(text), url


@pytest.mark.parametrize("first", SIGNED_IN_ROLES)
def test_one_signed_in_persons_page_is_never_served_to_another(world, public_urls, first):
    first_user = user_of(world, first)
    signed_in(first_user).get(public_urls[0])
    for url in public_urls:
        signed_in(first_user).get(url)
        for second in SIGNED_IN_ROLES:
            if second == first:
                continue
            second_user = user_of(world, second)
            text = signed_in(second_user).get(url).text
            assert f'data-user-id="{second_user.pk}"' in text, (url, second)
            assert f'data-user-id="{first_user.pk}"' not in text, (url, second)


@pytest.mark.parametrize("role", ("seller", "centre_broker", "root"))
def test_a_draft_seen_by_its_seller_or_centre_stays_hidden_from_everyone_else(client, world, draft, role):
    url = f"/patents/{draft.pk}/"
    assert draft.title in signed_in(user_of(world, role)).get(url).text
    response = client.get(url)
    assert response.status_code == 404 and draft.title not in response.text
    buyer = signed_in(world.buyer).get(url)
    assert buyer.status_code == 404 and draft.title not in buyer.text


def test_signed_in_pages_elsewhere_are_not_stored_by_anyone(world):
    response = signed_in(world.buyer).get("/workspace/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_signed_in_persons_public_page_may_be_kept_by_their_browser_but_is_checked_first(world, listing):
    response = signed_in(world.buyer).get(f"/patents/{listing.pk}/")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


# --- Forgotten when what they show changes ----------------------------------------------------------------


def test_a_listing_change_shows_on_the_next_anonymous_request(
    client, world, listing, django_capture_on_commit_callbacks
):
    url = f"/patents/{listing.pk}/"
    client.get("/patents/")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        listing_update(listing=listing, actor=world.seller, title="改名后的固态电池技术")
    assert "改名后的固态电池技术" in client.get(url).text
    assert "改名后的固态电池技术" in client.get("/patents/").text


def test_a_listing_leaving_the_market_leaves_the_stored_pages(
    client, world, listing, django_capture_on_commit_callbacks
):
    assert listing.title in client.get("/patents/").text
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.PAUSED, actor=world.seller)
    assert listing.title not in client.get("/patents/").text
    assert client.get(f"/patents/{listing.pk}/").status_code == 404


def test_a_centre_renamed_shows_on_the_next_anonymous_request(client, world, listing):
    url = f"/patents/{listing.pk}/"
    assert world.ningbo.name in client.get(url).text
    world.ningbo.name = "宁波市知识产权运营中心"
    world.ningbo.save()
    assert "宁波市知识产权运营中心" in client.get(url).text


def test_a_cms_page_published_shows_on_the_next_anonymous_request(client, world):
    home = make_home()
    first = client.get("/")
    assert first.status_code == 200 and "新政策栏目" not in first.text
    make_index(home, title="新政策栏目", slug="new-policy")
    home.body = [{"type": "latest_policy_news", "value": {"heading": "新政策栏目", "count": 3}}]
    home.save_revision().publish()
    assert "新政策栏目" in client.get("/").text


def test_the_cache_can_be_turned_off(client, listing, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/patents/")
    assert queries_for(client, "/patents/") > 0


# --- The uncached path ------------------------------------------------------------------------------------


def test_the_home_page_costs_a_few_queries_for_an_anonymous_visitor(client, listing, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert queries_for(client, "/") <= 8


def test_the_cms_home_page_costs_a_few_queries_for_an_anonymous_visitor(client, world, listing, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    home = make_home()
    make_index(home)
    home.body = [
        {"type": "hero", "value": {"heading": "让专利用起来", "lead": "", "image": None, "actions": []}},
        {"type": "featured_listings", "value": {"selection": "newest", "listing_ids": [], "count": 4}},
        {"type": "latest_policy_news", "value": {"heading": "政策", "count": 5}},
    ]
    home.save_revision().publish()
    client.get("/")
    assert queries_for(client, "/") <= 12


def test_a_listing_page_costs_a_few_queries_for_an_anonymous_visitor(client, listing, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(f"/patents/{listing.pk}/")
    assert queries_for(client, f"/patents/{listing.pk}/") <= 8


def test_a_response_that_will_set_a_cookie_on_its_way_out_is_not_stored(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse

    from marketplace.core.pagecache import _storable

    def anonymous_request():
        request = rf.get("/patents/")
        request.user, request.session = AnonymousUser(), SessionStore()
        request._messages = FallbackStorage(request)
        return request

    assert _storable(anonymous_request(), HttpResponse("页面"))
    written = anonymous_request()
    written.session["seen"] = True
    assert not _storable(written, HttpResponse("页面"))
    with_message = anonymous_request()
    with_message._messages.add(constants.INFO, "稍后显示")
    assert not _storable(with_message, HttpResponse("页面"))
    with_token = anonymous_request()
    with_token.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not _storable(with_token, HttpResponse("页面"))
    assert not _storable(anonymous_request(), HttpResponse("页面", status=404))


def test_a_page_that_used_its_content_security_policy_nonce_is_not_stored(rf):
    """An inline script carries its own response's nonce: served to the next visitor, whose policy names another
    nonce, it would be refused."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.utils.csp import LazyNonce

    from marketplace.core.pagecache import _storable

    request = rf.get("/patents/")
    request.user, request.session, request._csp_nonce = AnonymousUser(), SessionStore(), LazyNonce()
    assert _storable(request, HttpResponse("页面"))  # the nonce exists for every request, unused until a page uses it
    page = HttpResponse(f'<script nonce="{request._csp_nonce}">1</script>')
    assert not _storable(request, page)


def test_a_password_protected_cms_page_is_never_stored_before_or_after_the_password(client, world):
    from wagtail.models import PageViewRestriction

    from tests.cms.conftest import make_standard_page

    home = make_home()
    page = make_standard_page(home, title="会员专区", slug="members")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="page-secret"
    )
    for _ in range(2):
        form = client.get("/members/")
        assert "让专利用起来" not in form.text and "public" not in form.get("Cache-Control", "")
    visitor = Client()
    visitor.get("/members/")
    passed = visitor.post(
        f"/_util/authenticate_with_password/{restriction.id}/{page.id}/",
        {"password": "page-secret", "return_url": "/members/"},
    )
    assert passed.status_code == 302
    assert "让专利用起来" in visitor.get("/members/").text
    assert "让专利用起来" not in Client().get("/members/").text
