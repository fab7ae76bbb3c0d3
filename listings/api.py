"""The write API for an organisation's own systems: its listings, at /api/v1/organisation/listings.

An organisation's API token (marketplace.organisations.api_auth) acts as a member of the organisation. What it sends
goes through the seller's own workspace forms (listings.forms: the patent's number, type, dates and IPC codes, the
listing's text and price, the terms of each mode) and then the same services, so the API refuses exactly what the
pages refuse, saves nothing when it refuses, and a submitted listing waits for the hosting centre's staff like any
other. Amounts are integer fen; the forms take yuan, so fen are written as yuan for them (exactly: two decimals).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from listings.forms import EquityTermsForm, LicenceTermsForm, ListingForm, NewListingForm, PatentForm, TransferTermsForm
from listings.models import (
    CloseReason,
    LegalStatus,
    LicenceType,
    Listing,
    ListingStatus,
    Maturity,
    Mode,
    PatentType,
)
from listings.selectors import listings_of_seller
from listings.services import (
    PatentData,
    listing_remove_terms,
    listing_set_status,
    listing_set_terms,
    listing_start,
    listing_update,
)
from marketplace.core.api_errors import InvalidData, form_errors
from marketplace.core.api_schemas import InvalidParametersOut, NotFoundOut
from marketplace.core.pagination import api_page
from marketplace.organisations.api_auth import ApiScope, OrganisationToken, created_once, idempotency_key_parameter
from marketplace.organisations.models import Organisation

router = Router(tags=["organisation: listings"])

WRITE = OrganisationToken(ApiScope.LISTINGS_WRITE)
READ = OrganisationToken(ApiScope.READ, ApiScope.LISTINGS_WRITE)

ModeValue = Literal[tuple(Mode.values)]
LicenceTypeValue = Literal[tuple(LicenceType.values)]
PatentTypeValue = Literal[tuple(PatentType.values)]
LegalStatusValue = Literal[tuple(LegalStatus.values)]
MaturityValue = Literal[("", *Maturity.values)]
StatusValue = Literal[tuple(ListingStatus.values)]
CloseReasonValue = Literal[tuple(CloseReason.values)]

MAX_ID = 2**63 - 1
# The forms' ceiling (listings.forms.MAX_YUAN, 1,000 亿元) in fen.
MAX_FEN = 10**13
Fen = Field(None, ge=0, le=MAX_FEN, description="in fen (1 yuan = 100 fen)")
TERMS_FORMS = {Mode.LICENCE: LicenceTermsForm, Mode.TRANSFER: TransferTermsForm, Mode.EQUITY: EquityTermsForm}

# --- Schemas -------------------------------------------------------------------------------------------------


class PatentIn(Schema):
    application_number: str = Field(
        max_length=40, description="Any common writing: CN201710601862.3, ZL 2017 1 0601862.3, 2017106018623"
    )
    patent_type: PatentTypeValue
    title: str
    abstract: str = ""
    first_claim: str = ""
    ipc_codes: list[str] = Field(description="main code first, e.g. ['H01M 4/525', 'H01M 10/0525']")
    filing_date: date
    publication_date: date | None = None
    grant_date: date | None = None
    legal_status: LegalStatusValue
    applicant_names: list[str] = Field(description="as printed on the patent")
    inventors: list[str] = Field(default_factory=list)


class TermsIn(Schema):
    """One mode offered, with the fields of that mode only."""

    mode: ModeValue
    licence_types: list[LicenceTypeValue] = Field(default_factory=list, description="licence only; at least one")
    territory: str = Field("", description="licence only")
    field_of_use: str = Field("", description="licence only")
    term_years: int | None = Field(None, description="licence only, 1 to 20")
    upfront_fee_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="licence only, in fen")
    royalty_rate: Decimal | None = Field(None, description="licence only: percentage of sales, 0 to 100")
    price_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="transfer only, in fen")
    appraised_value_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="equity only, in fen")


TERMS_EXAMPLE = [
    {"mode": "licence", "licence_types": ["ordinary", "exclusive"], "upfront_fee_fen": 20_000_000, "royalty_rate": 3.5},
    {"mode": "transfer", "price_fen": 150_000_000},
]


class ListingIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "title": "室温高电导固态电解质",
                    "summary": "固态电池的关键材料：室温离子电导率1.2mS/cm，可在现有产线上制备。",
                    "maturity": "pilot",
                    "application_fields": "动力电池；储能",
                    "price_negotiable": True,
                    "patent": {
                        "application_number": "CN201910123456.7",
                        "patent_type": "invention",
                        "title": "一种固态电解质及其制备方法",
                        "ipc_codes": ["H01M 10/0562", "H01M 10/0525"],
                        "filing_date": "2019-05-06",
                        "grant_date": "2021-08-10",
                        "legal_status": "granted",
                        "applicant_names": ["宁波大学"],
                        "inventors": ["王磊", "陈静"],
                    },
                    "terms": TERMS_EXAMPLE,
                }
            ]
        }
    }

    title: str
    summary: str
    title_en: str = ""
    summary_en: str = ""
    maturity: MaturityValue = ""
    application_fields: str = ""
    comparison: str = ""
    asking_price_fen: int | None = Fen
    price_negotiable: bool = True
    patent: PatentIn = Field(description="the first patent: kept as the platform has it when it is already there")
    other_patents: list[str] = Field(
        default_factory=list, description="application numbers of further patents already on the platform (专利包)"
    )
    terms: list[TermsIn] = Field(default_factory=list, description="the modes offered; needed before submitting")


class ListingPatch(Schema):
    """Only the fields sent change. `terms`, when sent, is the whole offer: modes left out stop being offered."""

    model_config = {"json_schema_extra": {"examples": [{"summary": "新的简介……", "asking_price_fen": 120_000_000}]}}

    title: str | None = None
    summary: str | None = None
    title_en: str | None = None
    summary_en: str | None = None
    maturity: MaturityValue | None = None
    application_fields: str | None = None
    comparison: str | None = None
    asking_price_fen: int | None = Fen
    price_negotiable: bool | None = None
    terms: list[TermsIn] | None = None


class CloseIn(Schema):
    close_reason: CloseReasonValue = Field(description="why the listing leaves the market for good")


class PatentOut(Schema):
    application_number: str
    patent_type: PatentTypeValue
    title: str
    legal_status: LegalStatusValue
    main_ipc: str
    ipc_codes: list[str]
    filing_date: date


class TermsOut(Schema):
    mode: ModeValue
    is_open: bool
    licence_types: list[LicenceTypeValue]
    territory: str
    field_of_use: str
    term_years: int | None
    upfront_fee_fen: int | None
    royalty_rate: float | None
    price_fen: int | None
    appraised_value_fen: int | None


class OwnListingOut(Schema):
    id: int
    status: StatusValue
    url: str = Field(description="its public page (opens once published)")
    title: str
    summary: str
    title_en: str
    summary_en: str
    maturity: MaturityValue
    application_fields: str
    comparison: str
    asking_price_fen: int | None
    price_negotiable: bool
    seller_id: int
    centre_id: int = Field(description="the operation centre whose staff review it")
    moderation_note: str = Field(description="the reviewer's reason when a submitted listing was sent back")
    close_reason: CloseReasonValue | Literal[""]
    quality_score: int
    patents: list[PatentOut]
    terms: list[TermsOut]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class OwnListingPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[OwnListingOut]


class OwnListingParams(Schema):
    status: StatusValue | None = Field(None, description="only listings in this status")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=200)


# --- From JSON to the forms --------------------------------------------------------------------------------------


def _yuan(fen: int | None) -> str:
    return "" if fen is None else str(Decimal(fen) / 100)


def _text(value) -> str:
    return "" if value is None else str(value)


def _patent_form(patent: PatentIn) -> PatentForm:
    return PatentForm(
        {
            "application_number": patent.application_number,
            "patent_type": patent.patent_type,
            "title": patent.title,
            "abstract": patent.abstract,
            "first_claim": patent.first_claim,
            "ipc_codes": "; ".join(patent.ipc_codes),
            "filing_date": patent.filing_date.isoformat(),
            "publication_date": _text(patent.publication_date and patent.publication_date.isoformat()),
            "grant_date": _text(patent.grant_date and patent.grant_date.isoformat()),
            "legal_status": patent.legal_status,
            "applicant_names": "; ".join(patent.applicant_names),
            "inventors": "; ".join(patent.inventors),
        }
    )


def _listing_data(values: dict) -> dict:
    data = {name: _text(values.get(name)) for name in ListingForm.Meta.fields}
    data["asking_price_fen"] = _yuan(values.get("asking_price_fen"))
    data["price_negotiable"] = bool(values.get("price_negotiable"))
    return data


def _terms_checked(terms: list[TermsIn]) -> tuple[dict[str, dict], list[dict]]:
    """Each mode's cleaned values, by the workspace's terms forms; and the errors, named terms.<i>.<field>."""
    errors: list[dict] = []
    cleaned: dict[str, dict] = {}
    for index, offer in enumerate(terms):
        prefix = f"terms.{index}"
        form_class = TERMS_FORMS[offer.mode]
        sent = offer.model_dump(exclude_unset=True)
        for name in sorted(set(sent) - set(form_class.base_fields) - {"mode"}):
            errors.append(
                {
                    "parameter": f"{prefix}.{name}",
                    "reason": _("%(field)s does not apply to this mode.") % {"field": name},
                }
            )
        if offer.mode in cleaned:
            errors.append({"parameter": f"{prefix}.mode", "reason": _("Each mode may be offered once.")})
        data = {"offered": True}
        for name in form_class.base_fields:
            if name == "offered":
                continue
            value = getattr(offer, name)
            if name.endswith("_fen"):
                data[name] = _yuan(value)
            elif name == "licence_types":
                data[name] = list(value)
            else:
                data[name] = _text(value)
        form = form_class(data)
        if form.is_valid():
            cleaned[offer.mode] = {name: value for name, value in form.cleaned_data.items() if name != "offered"}
        else:
            errors += form_errors(form, prefix=prefix)
    return cleaned, errors


def _apply_terms(listing: Listing, actor, offers: dict[str, dict], *, replace: bool) -> None:
    for mode, values in offers.items():
        listing_set_terms(listing=listing, actor=actor, mode=mode, **values)
    if replace:
        for mode in set(listing.terms.values_list("mode", flat=True)) - set(offers):
            listing_remove_terms(listing=listing, actor=actor, mode=mode)


# --- Out ---------------------------------------------------------------------------------------------------------


def _serialise(listing: Listing, request: HttpRequest) -> dict:
    return OwnListingOut.model_validate(
        {
            **{name: getattr(listing, name) for name in OwnListingOut.model_fields if hasattr(listing, name)},
            "url": request.build_absolute_uri(listing.get_absolute_url()),
            "patents": [
                {name: getattr(patent, name) for name in PatentOut.model_fields}
                for patent in listing.patents.order_by("listing_patents__position")
            ],
            "terms": [
                {
                    **{name: getattr(terms, name) for name in TermsOut.model_fields},
                    "royalty_rate": float(terms.royalty_rate) if terms.royalty_rate is not None else None,
                }
                for terms in listing.terms.order_by("mode")
            ],
        }
    ).model_dump(mode="json")


def _own(request: HttpRequest, listing_id: int) -> Listing:
    """A listing of the token's organisation; another organisation's is not found, as if it did not exist."""
    if not 0 < listing_id <= MAX_ID:
        raise Http404("No listing of your organisation with this id.")
    organisation: Organisation = request.auth.organisation
    return get_object_or_404(listings_of_seller(request.auth.actor).filter(seller=organisation), pk=listing_id)


def _fresh(listing: Listing) -> Listing:
    return Listing.objects.select_related("seller", "centre").get(pk=listing.pk)


ERRORS = {401: NotFoundOut, 403: NotFoundOut, 422: InvalidParametersOut, 429: NotFoundOut}
WITH_404 = {**ERRORS, 404: NotFoundOut}


# --- Operations --------------------------------------------------------------------------------------------------


@router.get("", response={200: OwnListingPage, **ERRORS}, auth=READ, summary="The organisation's listings")
def list_own(request: HttpRequest, params: Query[OwnListingParams]):
    """Every listing of the token's organisation, in every status (drafts, those waiting for review, published,
    closed...), most recently changed first. Scope: `read` or `listings:write`."""
    rows = listings_of_seller(request.auth.actor).filter(seller=request.auth.organisation)
    if params.status:
        rows = rows.filter(status=params.status)
    return api_page(
        rows, page=params.page, page_size=params.page_size, serialise=lambda listing: _serialise(listing, request)
    )


@router.get("/{listing_id}", response={200: OwnListingOut, **WITH_404}, auth=READ, summary="One of its listings")
def get_own(request: HttpRequest, listing_id: int):
    """Scope: `read` or `listings:write`. Another organisation's listing is not found (404)."""
    return _serialise(_own(request, listing_id), request)


@router.post(
    "",
    response={201: OwnListingOut, 409: NotFoundOut, **ERRORS},
    auth=WRITE,
    summary="Create a draft listing",
    openapi_extra=idempotency_key_parameter("listing"),
)
def create(request: HttpRequest, payload: ListingIn, response: HttpResponse):
    """A draft listing of the organisation, hosted by its operation centre, checked as the workspace's “new
    listing” and “terms” forms check it (the application number's check digit and type, the filing year, IPC codes,
    amounts...). A refusal saves nothing and names each field (422). The draft is submitted for review separately.
    Scope: `listings:write`."""
    organisation: Organisation = request.auth.organisation
    actor = request.auth.actor

    def make() -> tuple[int, dict]:
        patent_form = _patent_form(payload.patent)
        listing_form = NewListingForm(
            {
                **_listing_data(payload.model_dump()),
                "seller": organisation.pk,
                "other_patents": "\n".join(payload.other_patents),
            },
            organisations=Organisation.objects.filter(pk=organisation.pk),
        )
        offers, errors = _terms_checked(payload.terms)
        if not listing_form.is_valid():
            errors += form_errors(listing_form)
        if not patent_form.is_valid():
            errors += form_errors(patent_form, prefix="patent")
        if errors:
            raise InvalidData(errors)
        data, patent = listing_form.cleaned_data, patent_form.cleaned_data
        with transaction.atomic():
            listing = listing_start(
                actor=actor,
                seller=organisation,
                patent_data=PatentData(**{name: patent.get(name) for name in PatentData.__dataclass_fields__}),
                other_numbers=data["other_patents"],
                title=data["title"],
                summary=data["summary"],
                **{name: data[name] for name in ListingForm.Meta.fields if name not in ("title", "summary")},
            )
            _apply_terms(listing, actor, offers, replace=False)
        return 201, _serialise(_fresh(listing), request)

    status, body, replayed = created_once(request, organisation, make)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)


@router.patch("/{listing_id}", response={200: OwnListingOut, **WITH_404}, auth=WRITE, summary="Change a listing")
def update(request: HttpRequest, listing_id: int, payload: ListingPatch):
    """Change what is sent, checked as the workspace's edit and terms forms check it; the rest stays. A draft,
    published or paused listing may change (a published one's public page and search entry follow); a submitted
    one waits for its review, a closed one stays as it was. Scope: `listings:write`."""
    listing = _own(request, listing_id)
    actor = request.auth.actor
    sent = payload.model_dump(exclude_unset=True)
    terms = sent.pop("terms", None)
    current = {name: getattr(listing, name) for name in ListingForm.Meta.fields}
    form = ListingForm(_listing_data({**current, **sent}), instance=_fresh(listing))
    errors = [] if form.is_valid() else form_errors(form)
    offers: dict[str, dict] = {}
    if terms is not None:
        offers, term_errors = _terms_checked(payload.terms or [])
        errors += term_errors
        if not offers and not term_errors:
            errors.append({"parameter": "terms", "reason": _("Offer at least one mode: licence, transfer or equity.")})
    if errors:
        raise InvalidData(errors)
    with transaction.atomic():
        if sent:
            listing_update(listing=listing, actor=actor, **{name: form.cleaned_data[name] for name in sent})
        if terms is not None:
            _apply_terms(listing, actor, offers, replace=True)
    return _serialise(_fresh(listing), request)


def _move(request: HttpRequest, listing_id: int, to_status: str, **details) -> dict:
    listing = _own(request, listing_id)
    token = request.auth.token
    listing_set_status(
        listing=listing, to_status=to_status, actor=request.auth.actor, note=f"API token {token.prefix}…", **details
    )
    return _serialise(_fresh(listing), request)


@router.post("/{listing_id}/submit", response={200: OwnListingOut, **WITH_404}, auth=WRITE, summary="Submit for review")
def submit(request: HttpRequest, listing_id: int):
    """A draft goes to the hosting centre's staff, who publish it or send it back with a reason (the listing's
    `moderation_note`). It needs a patent and at least one mode; the IP review runs now. Scope: `listings:write`."""
    return _move(request, listing_id, ListingStatus.SUBMITTED)


@router.post(
    "/{listing_id}/withdraw", response={200: OwnListingOut, **WITH_404}, auth=WRITE, summary="Withdraw a listing"
)
def withdraw(request: HttpRequest, listing_id: int):
    """The organisation takes the listing back, in any open status (draft, submitted, published, paused): it leaves
    the market and the review queue. Scope: `listings:write`."""
    return _move(request, listing_id, ListingStatus.WITHDRAWN)


@router.post("/{listing_id}/close", response={200: OwnListingOut, **WITH_404}, auth=WRITE, summary="Close a listing")
def close(request: HttpRequest, listing_id: int, payload: CloseIn):
    """A published or paused listing closes because its patent was transferred or exclusively licensed (outside
    the platform, or by a deal the platform does not know of). Scope: `listings:write`."""
    return _move(request, listing_id, ListingStatus.CLOSED, close_reason=payload.close_reason)
