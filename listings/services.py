"""Every write to patents and listings. Views, imports and commands call these; nothing writes around them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.fields import clean_application_number, clean_ipc_codes
from listings.models import (
    CloseReason,
    ConfidentialDownload,
    LicenceType,
    Listing,
    ListingAttachment,
    ListingBenefit,
    ListingEvent,
    ListingNda,
    ListingPatent,
    ListingStatus,
    ListingTerms,
    Mode,
    NdaAcceptance,
    Patent,
)
from listings.quality import assess_quality
from listings.review import has_failures, review_listing
from listings.selectors import ConfidentialAccess, nda_current
from listings.signals import listing_changed, listing_closed, listing_published
from marketplace.centres.selectors import staff_scope
from marketplace.core.uploads import MAX_UPLOAD_BYTES, upload_check
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

# --- Who is acting ------------------------------------------------------------------------------------------

SELLER, BROKER, SYSTEM = "seller", "broker", "system"


def actor_roles(listing: Listing, actor) -> set[str]:
    """The roles the actor holds on this listing: seller (member of the seller), broker (hosting staff)."""
    if actor is None:
        return {SYSTEM}
    roles = set()
    if listing.seller_id in organisation_ids_of(actor):
        roles.add(SELLER)
    if staff_scope(actor).covers(listing.centre_id):
        roles.add(BROKER)
    return roles


def _require_seller(listing: Listing, actor) -> None:
    if SELLER not in actor_roles(listing, actor):
        raise PermissionDenied(_("Only members of the seller organisation may change this listing."))


# --- The state machine --------------------------------------------------------------------------------------

S = ListingStatus
OPEN_STATES = (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.PAUSED)

# (from, to) -> who may make the move. Every other move is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({SELLER}),
    (S.SUBMITTED, S.DRAFT): frozenset({SELLER, BROKER}),  # recalled by the seller, or returned with feedback
    (S.SUBMITTED, S.PUBLISHED): frozenset({BROKER}),
    (S.PUBLISHED, S.PAUSED): frozenset({SELLER, BROKER}),
    (S.PAUSED, S.PUBLISHED): frozenset({SELLER, BROKER}),
    (S.PUBLISHED, S.CLOSED): frozenset({SELLER, BROKER, SYSTEM}),
    (S.PAUSED, S.CLOSED): frozenset({SELLER, BROKER, SYSTEM}),
    **{(state, S.WITHDRAWN): frozenset({SELLER, BROKER}) for state in OPEN_STATES},
    **{(state, S.EXPIRED): frozenset({SYSTEM}) for state in OPEN_STATES},
}


def allowed_moves(listing: Listing, actor) -> list[str]:
    roles = actor_roles(listing, actor)
    return [to for (src, to), who in TRANSITIONS.items() if src == listing.status and roles & who]


@transaction.atomic
def listing_set_status(
    *,
    listing: Listing,
    to_status: str,
    actor,
    note: str = "",
    close_reason: str = "",
    today: date | None = None,
) -> Listing:
    """Move a listing to another status, if the table above allows it for this actor.

    Takes a row lock so two people moving the same listing cannot both succeed. Submitting runs the IP review;
    publishing runs it again and refuses when a check fails. Every move leaves a ListingEvent and may send a
    signal (published / closed).
    """
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    from_status = listing.status
    who = TRANSITIONS.get((from_status, to_status))
    if who is None:
        raise ValidationError(
            _("A listing that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="invalid_transition",
        )
    if not actor_roles(listing, actor) & who:
        raise PermissionDenied(_("You may not make this change to the listing."))

    if to_status == S.SUBMITTED:
        _check_complete(listing)
        listing.review = review_listing(listing, today)
        listing.submitted_at = timezone.now()
        listing.moderation_note = ""
    elif to_status == S.PUBLISHED:
        if not listing.seller.verified:
            raise ValidationError(seller_unverified_message(listing), code="seller_unverified")
        listing.review = review_listing(listing, today)
        if has_failures(listing.review):
            raise ValidationError(
                _("The IP review found a problem that must be resolved before publishing."),
                code="review_failed",
            )
        listing.published_at = listing.published_at or timezone.now()
    elif to_status == S.DRAFT and from_status == S.SUBMITTED and SELLER not in actor_roles(listing, actor):
        if not note.strip():
            raise ValidationError(_("Say what the seller should change."), code="note_required")
        listing.moderation_note = note.strip()
    elif to_status == S.CLOSED:
        if close_reason not in CloseReason.values:
            raise ValidationError(_("Say why the listing closes: transferred or exclusively licensed."))
        listing.close_reason = close_reason

    listing.status = to_status
    listing.quality_score = assess_quality(listing).score
    listing.full_clean()
    listing.save()
    ListingEvent.objects.create(
        listing=listing, from_status=from_status, to_status=to_status, actor=actor, note=note.strip()
    )
    if to_status == S.PUBLISHED:
        listing_published.send(sender=Listing, listing=listing)
    elif from_status == S.PUBLISHED:
        listing_closed.send(sender=Listing, listing=listing, status=to_status)
    return listing


def seller_unverified_message(listing: Listing) -> str:
    """Why a listing of an unverified seller stays off the market, and how the seller gets verified."""
    return _(
        "%(seller)s is not verified yet, and only a verified organisation's listings go on the market. "
        "%(centre)s verifies an organisation once it has checked its unified social credit code and registration: "
        "ask the centre's broker, who will see the organisation in the verification queue."
    ) % {"seller": listing.seller.name, "centre": listing.centre.local_name}


def _check_complete(listing: Listing) -> None:
    problems = []
    if not listing.listing_patents.exists():
        problems.append(_("Add at least one patent."))
    if not listing.terms.exists():
        problems.append(_("Offer at least one mode: licence, transfer or equity."))
    if problems:
        raise ValidationError(problems, code="incomplete")


# --- Patents ------------------------------------------------------------------------------------------------


@dataclass
class PatentData:
    application_number: str
    patent_type: str
    title: str
    filing_date: date
    legal_status: str
    ipc_codes: str | list[str]
    abstract: str = ""
    first_claim: str = ""
    publication_date: date | None = None
    grant_date: date | None = None
    applicant_names: list[str] | None = None
    inventors: list[str] | None = None


def patent_build(data: PatentData, existing: Patent | None = None) -> Patent:
    """Validate patent data and return an unsaved Patent (updating `existing` when given)."""
    number = clean_application_number(data.application_number, declared_type=data.patent_type)
    # Designs are classified by Locarno, not IPC: an IPC code is optional for them and required for the rest.
    has_codes = bool(data.ipc_codes if isinstance(data.ipc_codes, list) else str(data.ipc_codes or "").strip())
    codes = clean_ipc_codes(data.ipc_codes) if has_codes or number.patent_type != "design" else []
    patent = existing or Patent(application_number=number.normalised)
    patent.patent_type = number.patent_type
    patent.is_pct = number.is_pct
    patent.title = data.title.strip()
    patent.abstract = data.abstract.strip()
    patent.first_claim = data.first_claim.strip()
    patent.ipc_codes = codes
    patent.main_ipc = codes[0] if codes else ""
    patent.filing_date = data.filing_date
    patent.publication_date = data.publication_date
    patent.grant_date = data.grant_date
    patent.legal_status = data.legal_status
    patent.applicant_names = [name.strip() for name in (data.applicant_names or []) if name.strip()]
    patent.inventors = [name.strip() for name in (data.inventors or []) if name.strip()]
    if data.filing_date.year != number.year:
        raise ValidationError(
            _("The filing date %(date)s does not match the year %(year)s in the application number.")
            % {"date": data.filing_date.isoformat(), "year": number.year},
            code="filing_year",
        )
    if data.grant_date and data.grant_date < data.filing_date:
        raise ValidationError(_("The grant date cannot be before the filing date."), code="grant_date")
    patent.full_clean(exclude=["expiry_date", "application_number"] if existing else ["expiry_date"])
    return patent


@transaction.atomic
def patent_upsert(data: PatentData) -> tuple[Patent, bool]:
    """Create or update a patent by its normalised application number; link applicants on the platform."""
    number = clean_application_number(data.application_number, declared_type=data.patent_type)
    existing = Patent.objects.select_for_update().filter(application_number=number.normalised).first()
    patent = patent_build(data, existing)
    patent.save()
    linked = Organisation.objects.filter(name__in=patent.applicant_names)
    patent.applicants.set(linked)
    return patent, existing is None


# --- Listings -----------------------------------------------------------------------------------------------


@transaction.atomic
def listing_create(
    *,
    actor,
    seller: Organisation,
    title: str,
    summary: str,
    patents: Iterable[Patent],
    **details,
) -> Listing:
    """A seller member creates a draft listing of one or more patents, hosted by the seller's centre."""
    if actor is not None and seller.id not in organisation_ids_of(actor):
        raise PermissionDenied(_("You can only list patents for an organisation you belong to."))
    listing = Listing(
        seller=seller,
        centre_id=seller.centre_id,
        title=title.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    for field, value in details.items():
        setattr(listing, field, value)
    listing.full_clean()
    listing.save()
    listing_set_patents(listing=listing, patents=patents)
    return listing


EDITABLE_FIELDS = (
    "title",
    "summary",
    "title_en",
    "summary_en",
    "asking_price_fen",
    "price_negotiable",
    "maturity",
    "application_fields",
    "comparison",
)


@transaction.atomic
def listing_update(*, listing: Listing, actor, **changes) -> Listing:
    """Change a listing's description. Draft and paused listings only take edits from the seller; a
    published one may be edited too (the index follows), but its patents are fixed once it is on the market."""
    _require_seller(listing, actor)
    if listing.status not in (S.DRAFT, S.PUBLISHED, S.PAUSED):
        raise ValidationError(_("This listing can no longer be edited."), code="not_editable")
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable listing field")
        setattr(listing, field, value.strip() if isinstance(value, str) else value)
    listing.quality_score = assess_quality(listing).score
    listing.full_clean()
    listing.save()
    if listing.status == S.PUBLISHED:
        listing_changed.send(sender=Listing, listing=listing)
    return listing


def listing_set_patents(*, listing: Listing, patents: Iterable[Patent]) -> None:
    if listing.status not in (S.DRAFT,):
        raise ValidationError(_("Patents can only be changed while the listing is a draft."))
    patents = list(dict.fromkeys(patents))
    if not patents:
        raise ValidationError(_("Add at least one patent."))
    listing.listing_patents.all().delete()
    ListingPatent.objects.bulk_create(
        [ListingPatent(listing=listing, patent=patent, position=index) for index, patent in enumerate(patents)]
    )


@transaction.atomic
def listing_set_terms(*, listing: Listing, actor, mode: str, **terms) -> ListingTerms:
    """Offer (or re-state) one mode with its terms. Irrelevant fields for the mode are cleared."""
    if actor is not None:
        _require_seller(listing, actor)
    if mode not in Mode.values:
        raise ValidationError(_("Unknown mode."))
    record = ListingTerms.objects.filter(listing=listing, mode=mode).first() or ListingTerms(listing=listing, mode=mode)
    per_mode = {
        Mode.LICENCE: {
            "licence_types",
            "territory",
            "field_of_use",
            "term_years",
            "upfront_fee_fen",
            "royalty_rate",
        },
        Mode.TRANSFER: {"price_fen"},
        Mode.EQUITY: {"appraised_value_fen"},
    }[mode]
    for field, value in terms.items():
        if field not in per_mode:
            raise ValidationError(_("%(field)s does not apply to this mode.") % {"field": field})
        setattr(record, field, value)
    if mode == Mode.LICENCE:
        types = list(dict.fromkeys(record.licence_types or []))
        if not types or any(t not in LicenceType.values for t in types):
            raise ValidationError(_("Choose which licences are offered: exclusive, sole or ordinary."))
        record.licence_types = types
    record.full_clean()
    record.save()
    if listing.status == S.PUBLISHED:
        listing_changed.send(sender=Listing, listing=listing)
    return record


def listing_remove_terms(*, listing: Listing, actor, mode: str) -> None:
    _require_seller(listing, actor)
    if listing.status == S.PUBLISHED and listing.terms.count() == 1:
        raise ValidationError(_("A published listing must offer at least one mode."))
    listing.terms.filter(mode=mode).delete()
    if listing.status == S.PUBLISHED:
        listing_changed.send(sender=Listing, listing=listing)


@transaction.atomic
def listing_set_benefits(*, listing: Listing, actor, benefits: list[dict]) -> None:
    _require_seller(listing, actor)
    listing.benefits.all().delete()
    rows = []
    for data in benefits:
        benefit = ListingBenefit(listing=listing, **data)
        benefit.full_clean()
        rows.append(benefit)
    ListingBenefit.objects.bulk_create(rows)


# --- Attachments --------------------------------------------------------------------------------------------

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES


@transaction.atomic
def listing_attach(*, listing: Listing, actor, upload: UploadedFile, confidential: bool = False) -> ListingAttachment:
    _require_seller(listing, actor)
    # Two uploads at once must not both pass the count: the listing's row is the lock.
    Listing.objects.select_for_update().filter(pk=listing.pk).first()
    if listing.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("A listing can have at most %(count)s attachments.") % {"count": MAX_ATTACHMENTS})
    checked = upload_check(upload, max_bytes=MAX_ATTACHMENT_BYTES)
    attachment = ListingAttachment(
        listing=listing,
        original_name=upload.name[:200],
        content_type=checked.content_type,
        size=upload.size,
        confidential=confidential,
    )
    attachment.full_clean(exclude=["file"])  # before the file is stored, so a refusal leaves no file behind
    attachment.file.save(checked.stored_name, upload, save=False)
    attachment.save()
    return attachment


# --- Confidential documents and the listing's NDA ----------------------------------------------------------


def attachment_set_confidential(*, attachment: ListingAttachment, actor, confidential: bool) -> ListingAttachment:
    """The seller marks a document confidential (behind the NDA) or public again."""
    _require_seller(attachment.listing, actor)
    attachment.confidential = confidential
    attachment.full_clean()
    attachment.save(update_fields=["confidential"])
    return attachment


@transaction.atomic
def listing_set_nda_text(*, listing: Listing, actor, text: str) -> ListingNda:
    """The seller's own NDA text for the listing, as a new version (a blank text returns to the platform's
    default). Organisations that accepted an earlier text must accept the new one before their next download."""
    _require_seller(listing, actor)
    # The listing's row is the lock: two saves at once get two versions, not one number twice.
    Listing.objects.select_for_update().filter(pk=listing.pk).first()
    text = text.strip().replace("\r\n", "\n")
    if text == nda_current(listing).text and not nda_current(listing).is_default:
        raise ValidationError(_("The NDA text is unchanged."))
    if not text and nda_current(listing).is_default:
        raise ValidationError(_("The listing already uses the platform's standard NDA."))
    latest = listing.nda_versions.order_by("-version").first()
    version = ListingNda(listing=listing, version=(latest.version + 1) if latest else 1, text=text, created_by=actor)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def nda_accept(
    *, listing: Listing, actor, organisation: Organisation, text_sha256: str, ip_address: str | None, user_agent: str
) -> NdaAcceptance:
    """A member accepts the listing's current NDA on behalf of an organisation (click-through). The digest of the
    text the member read must be the current one: a text the seller changed meanwhile is refused, so nobody is
    bound by words they did not see. Accepting again for the same organisation and text returns the first record."""
    if not actor.is_authenticated or organisation.pk not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only a member of the organisation may accept on its behalf."))
    if organisation.pk == listing.seller_id:
        raise ValidationError(_("The seller's own members need no NDA for its documents."))
    Listing.objects.select_for_update().filter(pk=listing.pk).first()
    nda = nda_current(listing)
    if text_sha256 != nda.sha256:
        raise ValidationError(
            _("The NDA text changed while you were reading it. Please read the new text and accept it.")
        )
    existing = NdaAcceptance.objects.filter(listing=listing, organisation=organisation, text_sha256=nda.sha256).first()
    if existing is not None:
        return existing
    acceptance = NdaAcceptance(
        listing=listing,
        organisation=organisation,
        user=actor,
        version=nda.version,
        text_sha256=nda.sha256,
        text=nda.words,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
    acceptance.full_clean()
    acceptance.save()
    return acceptance


def confidential_download_record(
    *, attachment: ListingAttachment, actor, access: ConfidentialAccess, ip_address: str | None, user_agent: str
) -> ConfidentialDownload:
    """One line of the seller's download log, written before the file goes out."""
    if not access.allowed:
        raise PermissionDenied(_("Accept the listing's NDA before downloading its confidential documents."))
    download = ConfidentialDownload(
        attachment=attachment,
        user=actor,
        organisation_id=access.organisation_id,
        acceptance=access.acceptance,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
    download.full_clean()
    download.save()
    return download


# --- Leaving the market by itself ---------------------------------------------------------------------------


def listings_expire(*, today: date | None = None) -> list[int]:
    """Expire every open listing with a patent that lapsed or reached the end of its term. Idempotent."""
    from listings.patents.terms import FINAL

    today = today or timezone.localdate()
    lapsed = Listing.objects.filter(status__in=OPEN_STATES).filter(
        patents__expiry_date__lt=today
    ) | Listing.objects.filter(status__in=OPEN_STATES).filter(patents__legal_status__in=FINAL)
    expired = []
    for listing_id in sorted(set(lapsed.values_list("id", flat=True))):
        listing = Listing.objects.get(pk=listing_id)
        listing_set_status(listing=listing, to_status=S.EXPIRED, actor=None, note="patent lapsed or expired")
        expired.append(listing_id)
    return expired


@transaction.atomic
def listing_start(
    *,
    actor,
    seller: Organisation,
    patent_data: PatentData,
    other_numbers: Iterable[str] = (),
    title: str,
    summary: str,
    **details,
) -> Listing:
    """The seller's "new listing" form: the first patent is looked up by number (kept as the platform has it)
    or created from the form; further portfolio patents must already be on the platform."""
    number = clean_application_number(patent_data.application_number).normalised
    first = Patent.objects.filter(application_number=number).first()
    if first is None:
        first, _created = patent_upsert(patent_data)
    others = []
    missing = []
    for raw in other_numbers:
        normalised = clean_application_number(raw).normalised
        patent = Patent.objects.filter(application_number=normalised).first()
        if patent is None:
            missing.append(normalised)
        elif patent != first:
            others.append(patent)
    if missing:
        raise ValidationError(
            {
                "other_patents": _("These patents are not on the platform yet; list or import them first: %(numbers)s")
                % {"numbers": ", ".join(missing)}
            }
        )
    return listing_create(
        actor=actor, seller=seller, title=title or first.title, summary=summary, patents=[first, *others], **details
    )


# --- Closing a mode after a deal ----------------------------------------------------------------------------


@transaction.atomic
def listing_close_mode(*, listing: Listing, mode: str, close_reason: str) -> Listing:
    """A deal took this mode off the market (exclusive or sole licence, transfer, equity). When no mode stays
    open — or the patent right itself changed hands — the listing closes. Called by the deals app."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    closes_everything = mode in (Mode.TRANSFER, Mode.EQUITY)
    listing.terms.filter(mode__in=Mode.values if closes_everything else [mode]).update(is_open=False)
    if listing.status in (S.PUBLISHED, S.PAUSED) and not listing.terms.filter(is_open=True).exists():
        return listing_set_status(listing=listing, to_status=S.CLOSED, actor=None, close_reason=close_reason)
    if listing.status == S.PUBLISHED:
        listing_changed.send(sender=Listing, listing=listing)
    return listing


@transaction.atomic
def listing_reopen_mode(*, listing: Listing, mode: str) -> None:
    """A cancelled deal gives its mode back, if the listing is still on the market."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status in (S.PUBLISHED, S.PAUSED):
        listing.terms.filter(mode=mode).update(is_open=True)
        if listing.status == S.PUBLISHED:
            listing_changed.send(sender=Listing, listing=listing)
