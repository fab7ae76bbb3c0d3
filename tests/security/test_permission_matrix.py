"""Every URL and every socket of the project, visited by every role: who gets what.

The URL resolver is walked and compared with MATRIX, so a new URL pattern fails this file until someone writes
down who may open it. Parameterised routes point at real objects of the seller's organisation (conftest.py).
Each visit runs in a savepoint that is rolled back, so a POST that succeeds for one role changes nothing for
the next. Every page answered 200 is also searched for the seller's secrets (a draft's title, a private
negotiation message): they may appear only to the people entitled to them; and read against the Content
Security Policy: sent with the site's strict policy, holding nothing it refuses (an inline handler or style, an
inline script without this response's nonce), a nonce used twice never the same (tests/security/csp.py).

Expectations, one per role in ROLES order (anonymous, buyer, seller, outsider = member of another organisation,
other_broker = staff of another centre, centre_broker = staff of the listing's centre, root = provincial staff):
  200, 400, 401, 403, 404, 405, 429  the status code
  L                             302 to a login page (the site's, the CMS's or django-admin's)
  R                             302 anywhere else (a POST that worked or was refused with a message)
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.asgi import application
from config.routing import websocket_urlpatterns
from tests.factories import UserFactory, authenticator_for, sign_in
from tests.security.conftest import ROLES, SECRET_DRAFT_TITLE, SECRET_MESSAGE, Objects
from tests.security.csp import nonce_sent, policy_problems

# Who may read the seller's secrets. Anyone else must never see them, on any page.
DRAFT_READERS = {"seller", "centre_broker", "root"}
NEGOTIATION_READERS = {"buyer", "seller", "centre_broker", "root"}
LOGIN_PATHS = ("/accounts/login/", "/cms/login/", "/django-admin/login/", "/_util/login/")

# Covered by prefix: Wagtail's admin and django-admin bring hundreds of patterns of their own; we check that
# their doors are shut (PREFIX_PROBES) rather than list them.
PREFIXES = ("cms/", "django-admin/")


@dataclass(frozen=True)
class Probe:
    expect: str
    method: str = "GET"
    params: Callable[[Objects], dict] = lambda o: {}
    data: Callable[[Objects], dict] = lambda o: {}
    query: Callable[[Objects], str] = lambda o: ""
    path: Callable[[Objects], str] | None = None  # for the catch-all and prefix probes: the path itself
    forbid: bytes = b""  # must not be in any answer (e.g. a protected file's bytes)
    note: str = field(default="", compare=False)


P = Probe
EVERYONE = "200 200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200 200"
STAFF_ONLY = "L 403 403 403 200 200 200"
# The negotiation's people: its buyer, its seller, the hosting centre's broker and root staff.
NEGOTIATION = "L {0} {0} 404 404 {0} {0}"
DEAL = NEGOTIATION


# The write API without a bearer token, whoever is signed in.
NO_TOKEN = "401 401 401 401 401 401 401"


def _api_token(o):
    """An API token of the seller's organisation, issued once per test by its administrator."""
    if getattr(o, "_api_token", None) is None:
        from marketplace.organisations.services import api_token_create

        o._api_token = api_token_create(
            organisation=o.organisation, actor=o.world.seller, name="专利数据库", scopes=["read"]
        ).token
    return o._api_token


def negotiation(code: str) -> str:
    return NEGOTIATION.format(code)


def deal(code: str) -> str:
    return DEAL.format(code)


def _listing(o):
    return {"pk": o.listing.pk}


def _draft(o):
    return {"pk": o.draft.pk}


def _nda_digest() -> str:
    from listings.nda import default_nda

    return default_nda().sha256


def _notice(o):
    return {"pk": o.deal.price_notice.pk}


def _objection(o):
    """An objection to the deal's notice under review, filed once per test by a person of another organisation."""
    from deals.models import NoticeObjection

    objection = NoticeObjection.objects.filter(notice=o.deal.price_notice, status="open").first()
    if objection is None:
        objection = NoticeObjection.objects.create(
            notice=o.deal.price_notice, filed_by=o.world.outsider, reasons="价格明显低于评估价值，请核查。"
        )
    return {"pk": objection.pk}


def _deposit(o):
    """An auction deposit the buyer's organisation owes the Ningbo centre, its bank transfer recorded by the
    centre's broker and awaiting a second person; made once per test, outside the visits' savepoints."""
    if getattr(o, "_deposit", None) is None:
        from django.utils import timezone

        from payments.services import bank_transfer_record, deposit_instalment_open
        from tests.payments.factories import receipt

        instalment = deposit_instalment_open(
            payer=o.world.enterprise,
            centre=o.world.ningbo,
            amount_fen=10_000_000,
            reference="matrix-1",
            label="竞买保证金",
        )
        payment = bank_transfer_record(
            instalment=instalment,
            actor=o.world.ningbo_broker,
            payer=o.world.enterprise.name,
            amount_fen=instalment.amount_fen,
            transferred_on=timezone.localdate(),
            bank_reference="SEC-DEP-0001",
            evidence=receipt(),
        )
        o._deposit = {"instalment_pk": instalment.pk, "payment_pk": payment.pk}
    return o._deposit


def _deposit_only(o):
    return {"instalment_pk": _deposit(o)["instalment_pk"]}


# The deposit's people: the bidder's members (the buyer here), the holding centre's broker and root staff.
DEPOSIT = "L {0} 404 404 404 {0} {0}"


def deposit(code):
    return DEPOSIT.format(code)


def _auction_round(o):
    """A bidding round on the seller's listing (its transfer), bidding on, with the buyer's organisation registered;
    made once per test, outside the visits' savepoints."""
    if getattr(o, "_auction_round", None) is None:
        from auctions.services import deposit_register
        from tests.auctions.factories import bidding_started, round_opened

        round_ = bidding_started(round_opened(o.listing, o.world.seller))
        deposit_register(round_=round_, organisation=o.world.enterprise, actor=o.world.buyer)
        o._auction_round = round_
    return {"pk": o._auction_round.pk}


def _demand_draft(o):
    return {"pk": o.demand_draft.pk}


def _negotiation(o):
    return {"pk": o.negotiation.pk}


def _deal(o):
    return {"pk": o.deal.pk}


def _nomination(o):
    return {"pk": o.organisation.pk, "signatory_pk": o.nomination.pk}


MATRIX: dict[str, list[Probe]] = {
    "healthz": [P(EVERYONE)],
    "healthz/live": [P(EVERYONE)],
    "i18n/setlang/": [P("R R R R R R R", "POST", data=lambda o: {"language": "en", "next": "/"})],
    "jsi18n/": [P(EVERYONE)],
    "sitemap.xml": [P(EVERYONE)],
    "": [P(EVERYONE)],
    "workspace/": [P(SIGNED_IN)],
    "centres/": [P(EVERYONE)],
    # --- The open API: read-only, published listings only, the same for everyone --------------------------
    "api/v1/openapi.json": [P(EVERYONE)],
    "api/v1/docs": [P(EVERYONE)],
    "api/v1/": [P("404 404 404 404 404 404 404")],
    "api/v1/listings": [P(EVERYONE)],
    "api/v1/indicators": [P(EVERYONE)],
    "api/v1/indicators/by/<dimension>": [P(EVERYONE, params=lambda o: {"dimension": "city"})],
    "api/v1/indicators/progress": [P(EVERYONE, query=lambda o: "year=2026")],
    "api/v1/demands": [P(EVERYONE)],
    "api/v1/demands/<demand_id>": [
        P(EVERYONE, params=lambda o: {"demand_id": o.demand.pk}),
        P(
            "404 404 404 404 404 404 404",
            params=lambda o: {"demand_id": o.demand_draft.pk},
            note="a draft is not public",
        ),
    ],
    "api/v1/listings/<listing_id>": [
        P(EVERYONE, params=lambda o: {"listing_id": o.listing.pk}),
        P("404 404 404 404 404 404 404", params=lambda o: {"listing_id": o.draft.pk}, note="a draft is not public"),
    ],
    # The write API of organisations' own systems: a bearer token or nothing; a session is no credential there.
    "api/v1/organisation/listings": [P(NO_TOKEN)],
    "api/v1/organisation/listings/<listing_id>": [P(NO_TOKEN, params=lambda o: {"listing_id": o.draft.pk})],
    "api/v1/organisation/listings/<listing_id>/submit": [
        P(NO_TOKEN, "POST", params=lambda o: {"listing_id": o.draft.pk})
    ],
    "api/v1/organisation/listings/<listing_id>/withdraw": [
        P(NO_TOKEN, "POST", params=lambda o: {"listing_id": o.draft.pk})
    ],
    "api/v1/organisation/listings/<listing_id>/close": [
        P(NO_TOKEN, "POST", params=lambda o: {"listing_id": o.listing.pk})
    ],
    "api/v1/organisation/demands": [P(NO_TOKEN)],
    "api/v1/organisation/demands/<demand_id>": [P(NO_TOKEN, params=lambda o: {"demand_id": o.demand_draft.pk})],
    "api/v1/organisation/demands/<demand_id>/submit": [
        P(NO_TOKEN, "POST", params=lambda o: {"demand_id": o.demand_draft.pk})
    ],
    "api/v1/organisation/demands/<demand_id>/close": [P(NO_TOKEN, "POST", params=lambda o: {"demand_id": o.demand.pk})],
    # --- Wagtail documents and page privacy -------------------------------------------------------------------
    "documents/^(\\d+)/(.*)$": [
        P("R R R R R R R", path=lambda o: f"/documents/{o.document.pk}/{o.document.filename}", note="to the file"),
        P(
            EVERYONE,
            path=lambda o: f"/documents/{o.private_document.pk}/{o.private_document.filename}",
            forbid=b"%PDF",
            note="password-protected collection: the password form, never the file",
        ),
    ],
    "documents/authenticate_with_password/<int:restriction_id>/": [
        P(EVERYONE, params=lambda o: {"restriction_id": o.document_restriction.pk})
    ],
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": [
        P(EVERYONE, params=lambda o: {"page_view_restriction_id": o.page_restriction.pk, "page_id": o.page.pk})
    ],
    "_util/login/": [P(EVERYONE)],
    "^((?:[\\w\\-]+/)*)$": [
        P(EVERYONE, path=lambda o: o.article.url, note="a published policy article"),
        P("404 404 404 404 404 404 404", path=lambda o: f"{o.policy_index.url}draft-article/", note="not live"),
        P(EVERYONE, path=lambda o: o.page.url, note="password-restricted: everyone gets the password form"),
    ],
    "policy/": [P(EVERYONE)],
    "policy/feed/": [P(EVERYONE)],
    # --- Accounts ---------------------------------------------------------------------------------------------
    "accounts/signup/": [P("200 R R R R R R")],
    "accounts/login/": [P(EVERYONE)],
    "accounts/logout/": [P("R R R R R R R", "POST")],
    "accounts/password-reset/": [P(EVERYONE)],
    "accounts/password-reset/sent/": [P(EVERYONE)],
    "accounts/reset/<uidb64>/<token>/": [
        P("R R R R R R R", params=lambda o: {"uidb64": o.reset_uidb64, "token": o.reset_token}),
        P(EVERYONE, params=lambda o: {"uidb64": o.reset_uidb64, "token": "0-wrong"}, note="invalid link page"),
    ],
    "accounts/reset/done/": [P(EVERYONE)],
    "accounts/unlock/": [P(EVERYONE)],
    # One's own account, the copy of one's own data and closing one's own account: every page is about the person
    # asking (the download is searched for the seller's secrets like any page).
    "accounts/me/": [P(SIGNED_IN)],
    "accounts/me/personal-data/": [P(SIGNED_IN)],
    "accounts/me/close/": [
        P(SIGNED_IN),
        P(SIGNED_IN, "POST", data=lambda o: {"password": "wrong", "understood": "on"}, note="refused: wrong password"),
    ],
    # How a person hears of new matches: a setting of their own, posted from the account page.
    "matching/preference/": [
        P("L 405 405 405 405 405 405"),
        P("L R R R R R R", "POST", data=lambda o: {"frequency": "live"}),
        P("L 400 400 400 400 400 400", "POST", data=lambda o: {"frequency": "sometimes"}, note="no such choice"),
    ],
    # --- Privacy ----------------------------------------------------------------------------------------------
    "privacy/": [P(EVERYONE)],
    "privacy/consent/": [
        P(SIGNED_IN, note="the people here never agreed to a notice: they are asked to"),
        P("L R R R R R R", "POST", data=lambda o: {"accept": "on"}),
    ],
    # The second step at log-in. Members have nothing to set up or type; staff here have passed it already.
    "accounts/two-step/": [P(SIGNED_IN)],
    "accounts/two-step/code/": [P("L R R R R R R")],
    "accounts/two-step/set-up/": [P("L R R R R R R")],
    "accounts/two-step/recovery-codes/": [P("L R R R R R R", note="no codes just made: to the two-step page")],
    "accounts/two-step/recovery-codes.txt": [P("L 404 404 404 404 404 404", note="no codes just made")],
    "accounts/unlock/<str:token>/": [
        P("400 400 400 400 400 400 400", params=lambda o: {"token": "forged"}, note="a forged link unlocks nothing")
    ],
    # --- Organisations and centres ----------------------------------------------------------------------------
    "organisations/": [P(EVERYONE)],
    "organisations/register/": [P(SIGNED_IN)],
    "organisations/verification/": [P(STAFF_ONLY)],
    "organisations/<int:pk>/": [P(EVERYONE, params=lambda o: {"pk": o.organisation.pk})],
    # Correcting the details the organisation declares (address, website, description, English name): its
    # administrators and its centre's staff; the organisation is public, so anyone else is refused outright.
    "organisations/<int:pk>/edit/": [
        P("L 403 200 403 403 200 200", params=lambda o: {"pk": o.organisation.pk}),
        P(
            "L 403 R 403 403 R R",
            "POST",
            params=lambda o: {"pk": o.organisation.pk},
            data=lambda o: {
                "address": "浙江省宁波市江北区风华路818号",
                "website": "",
                "description": "",
                "name_en": "",
            },
        ),
    ],
    "organisations/<int:pk>/members/": [
        # Visible to its members and the hosting centre's staff; only its administrators may add people.
        P(
            "L 404 R 404 404 403 403",
            "POST",
            params=lambda o: {"pk": o.organisation.pk},
            data=lambda o: {"email": o.world.stranger.email, "role": "member"},
        )
    ],
    "organisations/<int:pk>/verify/": [
        P("L 404 404 404 404 R R", "POST", params=lambda o: {"pk": o.organisation.pk}, data=lambda o: {"verified": "1"})
    ],
    # Signatories: nominated by the organisation's administrators (others are refused with a message), decided
    # by its centre's staff; nobody who may not see the organisation in private learns a nomination exists.
    "organisations/signatories/": [P(STAFF_ONLY)],
    "organisations/<int:pk>/signatories/": [
        P("L 404 R 404 404 R R", "POST", params=lambda o: {"pk": o.organisation.pk})
    ],
    "organisations/<int:pk>/signatories/<int:signatory_pk>/letter/": [
        P(
            "L 404 200 404 404 200 200",
            params=_nomination,
            note="the letter: the organisation's administrators, the person named, its centre's staff",
        )
    ],
    "organisations/<int:pk>/signatories/<int:signatory_pk>/verify/": [
        P("L 404 R 404 404 R R", "POST", params=_nomination, note="the seller is refused with a message")
    ],
    "organisations/<int:pk>/signatories/<int:signatory_pk>/refuse/": [
        P("L 404 R 404 404 R R", "POST", params=_nomination, data=lambda o: {"reason": "印章不清"})
    ],
    "organisations/<int:pk>/signatories/<int:signatory_pk>/revoke/": [
        P("L 404 R 404 404 R R", "POST", params=_nomination)
    ],
    # Who did what with the organisation's money and signatures: its administrators and signatories, its
    # centre's staff; not its counterparties, not other centres.
    "organisations/<int:pk>/audit/": [P("L 403 200 403 403 200 200", params=lambda o: {"pk": o.organisation.pk})],
    "organisations/<int:pk>/audit.csv": [P("L 403 200 403 403 200 200", params=lambda o: {"pk": o.organisation.pk})],
    # API tokens: the organisation's administrators create and revoke them, its centre's staff see and revoke them.
    "organisations/<int:pk>/api-tokens/": [
        P("L 404 200 404 404 200 200", params=lambda o: {"pk": o.organisation.pk}),
        P(
            "L 404 200 404 404 403 403",
            "POST",
            params=lambda o: {"pk": o.organisation.pk},
            data=lambda o: {"name": "专利数据库", "scopes": ["read"]},
            note="the secret is in this one answer",
        ),
    ],
    "organisations/<int:pk>/api-tokens/<int:token_pk>/revoke/": [
        P("L 404 R 404 404 R R", "POST", params=lambda o: {"pk": o.organisation.pk, "token_pk": _api_token(o).pk})
    ],
    # --- Listings ---------------------------------------------------------------------------------------------
    "patents/": [P(EVERYONE), P(EVERYONE, query=lambda o: "q=锂电池")],
    "patents/<int:pk>/": [
        P(EVERYONE, params=_listing),
        P("404 404 200 404 404 200 200", params=_draft, note="a draft: its seller and its centre"),
    ],
    # A listing's documents go to whoever may see the listing; anyone else gets 404, as for a missing file.
    "patents/<int:pk>/documents/<int:attachment_pk>/": [
        P(EVERYONE, params=lambda o: {"pk": o.listing.pk, "attachment_pk": o.attachment.pk}),
        P(
            "404 404 200 404 404 200 200",
            params=lambda o: {"pk": o.draft.pk, "attachment_pk": o.draft_attachment.pk},
            note="a draft's document: its seller and its centre",
        ),
        P(
            "404 404 404 404 404 404 404",
            params=lambda o: {"pk": o.listing.pk, "attachment_pk": o.draft_attachment.pk},
            note="the draft's document asked for under the public listing",
        ),
        P(
            "L 403 200 403 403 200 200",
            params=lambda o: {"pk": o.listing.pk, "attachment_pk": o.confidential_attachment.pk},
            note="a confidential document: sign in, then the NDA (none for the seller and the hosting centre)",
        ),
    ],
    # The listing's NDA: read by whoever may see the listing; accepted only on behalf of one's own organisation.
    "patents/<int:pk>/nda/": [
        P(SIGNED_IN, params=_listing),
        P("L 404 200 404 404 200 200", params=_draft, note="a draft's NDA: its seller and its centre"),
        P("L 200 200 200 200 200 200", "POST", params=_listing, note="nothing ticked: the form says what is missing"),
        P(
            "L R 200 200 200 200 200",
            "POST",
            params=_listing,
            data=lambda o: {"organisation": o.world.enterprise.pk, "text_sha256": _nda_digest(), "accept": "on"},
            note="accepted on behalf of the buyer's organisation; nobody else is its member",
        ),
    ],
    "patents/workspace/": [P(SIGNED_IN)],
    # Without an organisation, people are sent to register one first.
    "patents/workspace/new/": [P("L 200 200 200 R R R")],
    "patents/workspace/patent-lookup/": [
        P(SIGNED_IN, query=lambda o: f"number={o.listing.patents.first().application_number}")
    ],
    "patents/workspace/<int:pk>/": [P("L 404 200 404 404 404 404", params=_draft)],
    "patents/workspace/<int:pk>/terms/": [P("L 404 200 404 404 404 404", params=_draft)],
    "patents/workspace/<int:pk>/attachments/": [P("L 404 R 404 404 404 404", "POST", params=_draft)],
    "patents/workspace/<int:pk>/attachments/<int:attachment_pk>/confidential/": [
        P(
            "L 404 R 404 404 404 404",
            "POST",
            params=lambda o: {"pk": o.draft.pk, "attachment_pk": o.draft_attachment.pk},
            data=lambda o: {"confidential": "on"},
        )
    ],
    "patents/workspace/<int:pk>/nda/": [
        P("L 404 R 404 404 404 404", "POST", params=_draft, data=lambda o: {"text": "本公司保密协议"})
    ],
    "patents/workspace/<int:pk>/status/": [
        # The seller submits; staff of the hosting centre see the listing but may not submit for the seller.
        P("L 404 R 404 404 403 403", "POST", params=_draft, data=lambda o: {"to_status": "submitted"})
    ],
    "patents/workspace/import/": [P(SIGNED_IN)],
    "patents/workspace/import/template.<str:fmt>": [P(SIGNED_IN, params=lambda o: {"fmt": "csv"})],
    "patents/moderation/": [P(STAFF_ONLY)],
    "patents/moderation/<int:pk>/": [P("L 403 403 403 404 200 200", params=_draft)],
    # --- Technology demands: public when published; drafts for their organisation and its centre -------------
    "demands/": [P(EVERYONE), P(EVERYONE, query=lambda o: "field=H&city=ningbo&deal_kind=licence")],
    "demands/<int:pk>/": [
        P(EVERYONE, params=lambda o: {"pk": o.demand.pk}),
        P("404 404 200 404 404 200 200", params=_demand_draft, note="a draft: its organisation and its centre"),
    ],
    "demands/feed/": [P(EVERYONE)],
    "demands/workspace/": [P(SIGNED_IN)],
    # Without an organisation, people are sent to register one first.
    "demands/workspace/new/": [P("L 200 200 200 R R R")],
    "demands/workspace/<int:pk>/": [P("L 404 200 404 404 404 404", params=_demand_draft)],
    "demands/workspace/<int:pk>/status/": [
        # The organisation submits; staff of the hosting centre see the demand but may not submit it for it.
        P("L 404 R 404 404 403 403", "POST", params=_demand_draft, data=lambda o: {"to_status": "submitted"})
    ],
    "demands/moderation/": [P(STAFF_ONLY)],
    "demands/moderation/<int:pk>/": [P("L 403 403 403 404 200 200", params=_demand_draft)],
    # A centre's demand survey: staff only; the import's page only for the person who uploaded it.
    "demands/moderation/import/": [P(STAFF_ONLY), P(STAFF_ONLY, "POST")],
    "demands/moderation/import/<uuid:task_id>/": [
        P("L 403 403 403 404 404 404", params=lambda o: {"task_id": "0190f5a6-7b1c-7d2e-8f30-4a5b6c7d8e9f"})
    ],
    "demands/moderation/import/template.<str:fmt>": [P(STAFF_ONLY, params=lambda o: {"fmt": "xlsx"})],
    # Answers: any signed-in person may open the form (the seller's own demand says it cannot be answered by
    # itself); only the demand's organisation and its centre's staff read the answers when they wrote none.
    "demands/<int:pk>/answer/": [
        P("L 200 200 200 200 200 200", params=lambda o: {"pk": o.demand.pk}),
        P("L 400 400 400 400 400 400", "POST", params=lambda o: {"pk": o.demand.pk}, data=lambda o: {"message": ""}),
    ],
    "demands/<int:pk>/answers/": [P("L 404 200 404 404 200 200", params=lambda o: {"pk": o.demand.pk})],
    "demands/answers/<int:pk>/negotiate/": [
        P("L 405 405 405 405 405 405", params=lambda o: {"pk": 999_999}),
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"pk": 999_999}, data=lambda o: {"mode": "licence"}),
    ],
    "demands/answers/<int:pk>/withdraw/": [
        P("L 405 405 405 405 405 405", params=lambda o: {"pk": 999_999}),
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"pk": 999_999}),
    ],
    # --- Negotiations -----------------------------------------------------------------------------------------
    # --- Matching drives: centre staff of the drive's centre and above; a digest to whoever holds its link ------
    "drives/": [P(STAFF_ONLY)],
    "drives/new/": [P(STAFF_ONLY), P("L 403 403 403 400 400 400", method="POST", data=lambda o: {"title": ""})],
    "drives/<int:pk>/": [P("L 403 403 403 404 200 200", params=lambda o: {"pk": o.drive.pk})],
    "drives/<int:pk>/listings/": [
        P("L 405 405 405 405 405 405", params=lambda o: {"pk": o.drive.pk}),
        P("L 403 403 403 404 R R", method="POST", params=lambda o: {"pk": o.drive.pk}),
    ],
    "drives/<int:pk>/send/": [
        P("L 405 405 405 405 405 405", params=lambda o: {"pk": o.drive.pk}),
        P("L 403 403 403 404 R R", method="POST", params=lambda o: {"pk": o.drive.pk}, note="sent: nothing more"),
    ],
    "drives/<int:pk>/funnel.xlsx": [P("L 403 403 403 404 200 200", params=lambda o: {"pk": o.drive.pk})],
    "drives/digests/": [P(SIGNED_IN)],
    "drives/digests/<str:token>/": [P(EVERYONE, params=lambda o: {"token": o.digest.token})],
    "deals/negotiations/": [P(SIGNED_IN)],
    "deals/negotiations/enquire/<int:listing_pk>/": [
        P(SIGNED_IN, params=lambda o: {"listing_pk": o.listing.pk}),
        P("L 404 404 404 404 404 404", params=lambda o: {"listing_pk": o.draft.pk}, note="not on the market"),
    ],
    "deals/negotiations/express/<int:listing_pk>/": [
        P("L R R R R R R", "POST", params=lambda o: {"listing_pk": o.listing.pk}),
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"listing_pk": o.draft.pk}),
    ],
    "deals/negotiations/<int:pk>/": [P(negotiation("200"), params=_negotiation)],
    "deals/negotiations/<int:pk>/messages/": [
        P(negotiation("R"), "POST", params=_negotiation, data=lambda o: {"body": "你好"})
    ],
    "deals/negotiations/<int:pk>/offers/": [P(negotiation("400"), "POST", params=_negotiation)],
    "deals/negotiations/<int:pk>/offers/<int:offer_pk>/<str:action>/": [
        P(
            negotiation("R"),
            "POST",
            params=lambda o: {"pk": o.negotiation.pk, "offer_pk": o.offer.pk, "action": "withdraw"},
        )
    ],
    "deals/negotiations/<int:pk>/pass/": [P(negotiation("400"), "POST", params=_negotiation)],
    "deals/negotiations/<int:pk>/decline/": [P(negotiation("R"), "POST", params=_negotiation)],
    "deals/negotiations/<int:pk>/history.json": [P(negotiation("200"), params=_negotiation)],
    # --- Deals ------------------------------------------------------------------------------------------------
    "deals/": [P(SIGNED_IN)],
    "deals/why-we-passed/": [P("L 403 200 403 200 200 200")],
    "deals/<int:pk>/": [P(deal("200"), params=_deal)],
    "deals/<int:pk>/contract/": [P(deal("200"), params=_deal)],
    "deals/<int:pk>/contract.pdf": [P(deal("200"), params=_deal)],
    "deals/<int:pk>/sign/": [P(deal("200"), "POST", params=_deal)],
    "deals/<int:pk>/register/": [P(deal("200"), "POST", params=_deal)],
    "deals/<int:pk>/shares/": [P(deal("200"), "POST", params=_deal)],
    "deals/<int:pk>/cancel/": [P(deal("200"), "POST", params=_deal)],
    # --- Public notices of agreed prices: public pages; objections by anyone signed in (the deal's notice period,
    # 0 days in the test settings, is over: the form says so); staff of the hosting centre or above decide them.
    "notices/": [P(EVERYONE)],
    "notices/feed/": [P(EVERYONE)],
    "notices/<int:pk>/": [P(EVERYONE, params=_notice)],
    "notices/<int:pk>/object/": [
        P(SIGNED_IN, "POST", params=_notice, data=lambda o: {"reasons": "价格明显低于评估价值，请核查。"})
    ],
    "notices/objections/<int:pk>/resolve/": [
        P(
            "L 403 403 403 403 R R",
            "POST",
            params=_objection,
            data=lambda o: {
                f"objection-{_objection(o)['pk']}-decision": "dismiss",
                f"objection-{_objection(o)['pk']}-reason": "评估报告已核实。",
            },
        )
    ],
    # --- Bidding rounds: public pages and feed; the seller or its centre open one; anyone signed in may ask to
    # register (refused with a message unless a verified organisation's signatory) or bid (a form error without a
    # paid deposit); the winner's default is for sold rounds only (this one is still open).
    "auctions/": [P(EVERYONE)],
    "auctions/results/feed/": [P(EVERYONE)],
    "auctions/new/<int:listing_pk>/": [P("L 403 200 403 403 200 200", params=lambda o: {"listing_pk": o.listing.pk})],
    "auctions/<int:pk>/": [P(EVERYONE, params=_auction_round)],
    "auctions/<int:pk>/register/": [P("L R R R R R R", "POST", params=_auction_round)],
    "auctions/<int:pk>/bid/": [P("L 400 400 400 400 400 400", "POST", params=_auction_round)],
    "auctions/<int:pk>/withdraw/": [P("L R R R R R R", "POST", params=_auction_round)],
    "auctions/<int:pk>/default/": [P("L 404 404 404 404 404 404", "POST", params=_auction_round)],
    "notices/objections/": [P(STAFF_ONLY)],
    # --- Payments ---------------------------------------------------------------------------------------------
    "payments/deposits/<int:instalment_pk>/": [P(deposit("200"), params=_deposit_only)],
    "payments/deposits/<int:instalment_pk>/card/": [P(deposit("R"), "POST", params=_deposit_only)],
    "payments/deposits/<int:instalment_pk>/status/": [P(deposit("200"), params=_deposit_only)],
    "payments/deposits/<int:instalment_pk>/card/<int:payment_pk>/cancel/": [
        P("L 404 404 404 404 404 404", "POST", params=_deposit)
    ],
    "payments/deposits/<int:instalment_pk>/transfer/announce/": [P(deposit("R"), "POST", params=_deposit_only)],
    "payments/deposits/<int:instalment_pk>/transfer/": [P(deposit("R"), "POST", params=_deposit_only)],
    "payments/deposits/<int:instalment_pk>/transfer/<int:payment_pk>/withdraw/": [
        P(deposit("R"), "POST", params=_deposit)
    ],
    "payments/deposits/<int:instalment_pk>/transfer/<int:payment_pk>/confirm/": [
        P(deposit("R"), "POST", params=_deposit)
    ],
    "payments/deposits/<int:instalment_pk>/transfer/<int:payment_pk>/reject/": [
        P(deposit("R"), "POST", params=_deposit)
    ],
    "payments/deposits/<int:instalment_pk>/transfer/<int:payment_pk>/evidence/": [P(deposit("200"), params=_deposit)],
    "payments/deals/<int:pk>/": [P(deal("200"), params=_deal)],
    "payments/deals/<int:pk>/card/": [P(deal("R"), "POST", params=_deal)],
    "payments/deals/<int:pk>/transfer/": [P(deal("R"), "POST", params=_deal)],
    "payments/deals/<int:pk>/transfer/<int:payment_pk>/confirm/": [
        P(deal("R"), "POST", params=lambda o: {"pk": o.deal.pk, "payment_pk": o.payment.pk})
    ],
    # The bank receipt: the deal's people only; nobody else learns that it exists.
    "payments/deals/<int:pk>/transfer/<int:payment_pk>/evidence/": [
        P(deal("200"), params=lambda o: {"pk": o.deal.pk, "payment_pk": o.payment.pk})
    ],
    "payments/deals/<int:pk>/refund/": [P(deal("R"), "POST", params=_deal)],
    "payments/deals/<int:pk>/instalments/<int:instalment_pk>/status/": [
        P(deal("200"), params=lambda o: {"pk": o.deal.pk, "instalment_pk": o.payment.instalment_id})
    ],
    # A transfer's number is not a card attempt to cancel: not found, for everyone.
    "payments/deals/<int:pk>/card/<int:payment_pk>/cancel/": [
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"pk": o.deal.pk, "payment_pk": o.payment.pk})
    ],
    # Saved cards are the buyer organisation's: no such card here, and nobody else's is reachable.
    "payments/deals/<int:pk>/cards/<int:card_pk>/auto-pay/": [
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"pk": o.deal.pk, "card_pk": 999_999})
    ],
    "payments/deals/<int:pk>/cards/<int:card_pk>/forget/": [
        P("L 404 404 404 404 404 404", "POST", params=lambda o: {"pk": o.deal.pk, "card_pk": 999_999})
    ],
    "payments/deals/<int:pk>/transfer/announce/": [P(deal("R"), "POST", params=_deal)],
    "payments/deals/<int:pk>/transfer/<int:payment_pk>/withdraw/": [
        P(deal("R"), "POST", params=lambda o: {"pk": o.deal.pk, "payment_pk": o.payment.pk})
    ],
    "payments/deals/<int:pk>/transfer/<int:payment_pk>/reject/": [
        P(deal("R"), "POST", params=lambda o: {"pk": o.deal.pk, "payment_pk": o.payment.pk})
    ],
    # Brokers' list of what needs them: staff only, and nobody else learns the page exists.
    "payments/attention/": [P("L 404 404 404 200 200 200")],
    "payments/deals/<int:pk>/royalty/": [P(deal("R"), "POST", params=_deal)],
    # Authenticated by Stripe's signature, not by a session (test_csrf.py signs one).
    "payments/webhooks/stripe/": [P("400 400 400 400 400 400 400", "POST")],
    # --- Search -----------------------------------------------------------------------------------------------
    "search/": [P("301 301 301 301 301 301 301", query=lambda o: "q=锂电池", note="moved to /patents/")],
    "search/save/": [P("L R R R R R R", "POST", data=lambda o: {"q": "锂电池", "name": "锂电池"})],
    "search/saved/": [P(SIGNED_IN)],
    "search/saved/<int:pk>/delete/": [P("L R 404 404 404 404 404", "POST", params=lambda o: {"pk": o.saved_search.pk})],
    "search/saved/<int:pk>/alerts/": [P("L R 404 404 404 404 404", "POST", params=lambda o: {"pk": o.saved_search.pk})],
    # --- Indicators: public figures -----------------------------------------------------------------------------
    "indicators/": [P(EVERYONE)],
    "indicators/deals/": [P(STAFF_ONLY, note="the deals behind the figures: staff only")],
    "indicators/export/": [P(EVERYONE, query=lambda o: "format=csv")],
    "indicators/report/": [P(EVERYONE)],
    "indicators/targets/": [
        P("L 403 403 403 403 403 200", note="targets are set by the administrators of the platform and the centres")
    ],
    "indicators/api/": [P("301 301 301 301 301 301 301", note="moved to /api/v1/indicators")],
}

# Wagtail's admin and django-admin: anonymous visitors are sent to log in, people without admin rights are
# refused (Wagtail sends them to its login page with a message; django-admin to its own).
PREFIX_PROBES: dict[str, list[Probe]] = {
    "cms/": [
        P("L L L L L L L", path=lambda o: "/cms/"),
        P("L L L L L L L", path=lambda o: "/cms/pages/"),
        P("L L L L L L L", path=lambda o: "/cms/users/"),
        P("L L L L L L L", path=lambda o: "/cms/documents/"),
    ],
    "django-admin/": [
        P("L L L L L L L", path=lambda o: "/django-admin/"),
        P("L L L L L L L", path=lambda o: "/django-admin/accounts/user/"),
        P("L L L L L L L", path=lambda o: "/django-admin/listings/listing/"),
    ],
}


# --- Walking the resolver ---------------------------------------------------------------------------------


def walk(patterns, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes.extend(walk(pattern.url_patterns, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def project_routes() -> list[str]:
    return walk(get_resolver().url_patterns)


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def concrete_path(route: str, probe: Probe, objects: Objects) -> str:
    if probe.path is not None:
        path = probe.path(objects)
    else:
        values = probe.params(objects)
        path = "/" + _PARAMETER.sub(lambda match: str(values[match.group(1)]), route)
    query = probe.query(objects)
    return f"{path}?{query}" if query else path


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        return "L" if any(location.startswith(login) or f"{login}?" in location for login in LOGIN_PATHS) else "R"
    return str(response.status_code)


def visit(client: Client, method: str, path: str, data: dict):
    """One request in a savepoint that is rolled back: whatever it did is undone for the next visitor."""
    with transaction.atomic():
        response = client.post(path, data) if method == "POST" else client.get(path)
        # Read a streamed body inside the savepoint, while its rows still exist.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, content


def leaks(role: str, content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    found = []
    if SECRET_DRAFT_TITLE in text and role not in DRAFT_READERS:
        found.append("the draft's title")
    if SECRET_MESSAGE in text and role not in NEGOTIATION_READERS:
        found.append("the private negotiation message")
    return found


# A refused answer: anything else where one of these was expected let a role in that should have been kept out.
REFUSALS = {"L", "400", "401", "403", "404", "405", "429", "4401", "4403"}


def is_leak(want: str, got: str) -> bool:
    return want in REFUSALS and got not in REFUSALS


def check(route: str, probes: list[Probe], objects: Objects) -> list[str]:
    problems = []
    for probe in probes:
        expected = probe.expect.split()
        assert len(expected) == len(ROLES), f"{route}: one expectation per role in {ROLES}"
        for role, want in zip(ROLES, expected, strict=True):
            client = Client()
            user = objects.user(role)
            if user is not None:
                sign_in(client, user)
            path = concrete_path(route, probe, objects)
            response, content = visit(client, probe.method, path, probe.data(objects))
            got = outcome(response)
            if got != want:
                leak = "LEAK " if is_leak(want, got) else ""
                problems.append(f"{leak}{probe.method} {path} as {role}: expected {want}, got {got}")
            if probe.forbid and probe.forbid in content:
                problems.append(f"LEAK {probe.method} {path} as {role}: answered with {probe.forbid!r}")
            if response.status_code == 200:
                for secret in leaks(role, content):
                    problems.append(f"LEAK {probe.method} {path} as {role}: shows {secret}")
            if response.status_code == 200 and probe.method == "GET":
                problems += [
                    f"GET {path} as {role}: {found}" for found in csp_problems(client, path, response, content)
                ]
    return problems


def csp_problems(client: Client, path: str, response, content: bytes) -> list[str]:
    problems = policy_problems(response, content, policy=settings.SECURE_CSP)
    if nonce_sent(response) and nonce_sent(visit(client, "GET", path, {})[0]) == nonce_sent(response):
        problems.append("the same nonce in two responses")
    return problems


def record_leaks(record_property, problems: list[str]) -> None:
    """bench/security.py sums these from the JUnit report into its `matrix_leaks` figure."""
    record_property("matrix_leaks", sum(problem.startswith("LEAK ") for problem in problems))


# --- The tests ---------------------------------------------------------------------------------------------


def test_every_url_pattern_of_the_project_is_in_the_matrix():
    walked = [route for route in project_routes() if not route.startswith(PREFIXES)]
    missing = sorted(set(walked) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(walked))
    assert not missing, f"URL patterns with no row in MATRIX (say who may open them): {missing}"
    assert not stale, f"MATRIX rows for URL patterns that no longer exist: {stale}"
    assert all(any(route.startswith(prefix) for route in project_routes()) for prefix in PREFIXES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda route: route or "(home)")
def test_each_role_gets_the_expected_answer(route, objects, settings, record_property):
    # Tests keep files in memory, which has no local path for Wagtail's serve view: let it redirect to the file
    # (its access checks come first either way).
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    problems = check(route, MATRIX[route], objects)
    record_leaks(record_property, problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_admin_sites_are_shut_to_everyone_without_admin_rights(prefix, objects, record_property):
    problems = check(prefix, PREFIX_PROBES[prefix], objects)
    record_leaks(record_property, problems)
    assert not problems, "\n".join(problems)


# --- Sessions held at the second step of log-in ------------------------------------------------------------

SECOND_STEP_PATHS = ("/accounts/two-step/set-up/", "/accounts/two-step/code/")
# What staff who have typed their password but not yet a code may open: the step itself, the way out, and the
# frame of every page. Every other route sends them to the step, so a session taken between the steps gains nothing.
OPEN_WHILE_HELD = {
    "accounts/two-step/code/",
    "accounts/two-step/set-up/",
    "accounts/logout/",
    "i18n/setlang/",
    "jsi18n/",
    "healthz",
    "healthz/live",
}


def held_at_second_step(objects: Objects) -> dict[str, object]:
    """Staff logged in with the password only: a broker and a superuser with no authenticator yet, and root staff
    with one."""
    authenticator_for(objects.world.root_staff)
    people = {
        "centre_broker": objects.world.ningbo_broker,
        "root": objects.world.root_staff,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)  # the first step, and no more
    return clients


@pytest.mark.django_db
def test_a_staff_session_held_at_the_second_step_is_sent_there_by_every_other_route(objects, settings):
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    clients = held_at_second_step(objects)
    problems = []
    for route, probes in [*MATRIX.items(), *PREFIX_PROBES.items()]:
        if route in OPEN_WHILE_HELD:
            continue
        for probe in probes:
            path = concrete_path(route, probe, objects)
            for role, client in clients.items():
                response, content = visit(client, probe.method, path, probe.data(objects))
                location = response.headers.get("Location", "")
                if response.status_code != 302 or not location.startswith(SECOND_STEP_PATHS):
                    problems.append(
                        f"{probe.method} {path} as {role} held at the second step: {response.status_code} {location}"
                    )
                for secret in leaks("anonymous", content):
                    problems.append(f"{probe.method} {path} as {role} held at the second step: shows {secret}")
    assert not problems, "\n".join(problems)


# --- Sockets -----------------------------------------------------------------------------------------------

CONNECTED = "open"
SOCKET_MATRIX: dict[str, tuple[Callable[[Objects], str], str]] = {
    # Accepted, or closed with the code the consumer gives (4401 not signed in, 4403 not a participant).
    "ws/notifications/": (lambda o: "/ws/notifications/", "4401 open open open open open open"),
    "ws/negotiations/<int:pk>/": (
        lambda o: f"/ws/negotiations/{o.negotiation.pk}/",
        "4401 open open 4403 4403 open open",
    ),
    "ws/indicators/": (lambda o: "/ws/indicators/", "open open open open open open open"),
    # A round's ladder is public, as at an auction hall: anyone may watch (bidding needs a signatory and a deposit).
    "ws/auctions/<int:pk>/": (
        lambda o: f"/ws/auctions/{_auction_round(o)['pk']}/",
        "open open open open open open open",
    ),
}


def test_every_socket_route_is_in_the_socket_matrix():
    assert sorted(str(pattern.pattern) for pattern in websocket_urlpatterns) == sorted(SOCKET_MATRIX)


def _session_headers(user) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        client = Client()
        sign_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return headers


async def socket_outcome(path: str, user) -> str:
    communicator = WebsocketCommunicator(application, path, headers=await sync_to_async(_session_headers)(user))
    connected, code = await communicator.connect(timeout=10)
    if not connected:
        return str(code)
    # Some consumers accept and then close at once with their code, so that a browser learns why.
    if await communicator.receive_nothing(timeout=0.2):
        await communicator.disconnect()
        return CONNECTED
    message = await communicator.receive_output(timeout=10)
    if message["type"] == "websocket.close":
        return str(message["code"])
    await communicator.disconnect()
    return CONNECTED


@pytest.mark.django_db(transaction=True)
async def test_each_role_is_accepted_or_refused_by_every_socket(objects, record_property):
    problems = []
    for path_for, expect in SOCKET_MATRIX.values():
        path = await sync_to_async(path_for)(objects)  # a path may make its object (the database is sync-only)
        for role, want in zip(ROLES, expect.split(), strict=True):
            got = await socket_outcome(path, objects.user(role))
            if got != want:
                leak = "LEAK " if is_leak(want, got) else ""
                problems.append(f"{leak}{path} as {role}: expected {want}, got {got}")
    record_leaks(record_property, problems)
    assert not problems, "\n".join(problems)


def _held_session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)  # the password only
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [(b"origin", b"http://testserver"), (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]


@pytest.mark.django_db(transaction=True)
async def test_every_socket_takes_a_staff_session_held_at_the_second_step_for_a_visitor(objects):
    problems = []
    for route, (path_for, expect) in SOCKET_MATRIX.items():
        anonymous = expect.split()[0]
        for role in ("centre_broker", "root"):
            headers = await sync_to_async(_held_session_headers)(objects.user(role))
            path = await sync_to_async(path_for)(objects)
            communicator = WebsocketCommunicator(application, path, headers=headers)
            connected, code = await communicator.connect(timeout=3)
            got = CONNECTED if connected else str(code)
            if connected:
                if not await communicator.receive_nothing(timeout=0.2):
                    message = await communicator.receive_output(timeout=1)
                    got = str(message.get("code")) if message["type"] == "websocket.close" else CONNECTED
                await communicator.disconnect()
            if got != anonymous:
                problems.append(f"{route} as {role} held at the second step: expected {anonymous}, got {got}")
    assert not problems, "\n".join(problems)
