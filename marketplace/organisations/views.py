from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.centres.selectors import staff_scope
from marketplace.core.downloads import protected_file_response
from marketplace.core.forms import (
    add_service_error,
    flash_form_errors,
    flash_service_error,
    refusal_flashed,
)
from marketplace.organisations.forms import (
    ApiTokenForm,
    MemberAddForm,
    OrganisationDetailsForm,
    OrganisationRegisterForm,
    SignatoryNominateForm,
    SignatoryRefuseForm,
    SignatoryRevokeForm,
)
from marketplace.organisations.models import ApiToken, OrganisationKind, Signatory
from marketplace.organisations.selectors import (
    api_tokens_of,
    can_edit_organisation_details,
    can_revoke_api_tokens,
    can_see_api_tokens,
    is_organisation_admin,
    is_signatory,
    organisation_members,
    organisations_public,
    organisations_to_verify,
    organisations_visible_to,
    signatories_of,
    signatories_to_verify,
    signatory_letters_visible_to,
    signatory_names,
)
from marketplace.organisations.services import (
    api_token_create,
    api_token_revoke,
    membership_add,
    organisation_register,
    organisation_set_verified,
    organisation_update_details,
    signatory_nominate,
    signatory_refuse,
    signatory_revoke,
    signatory_verify,
)


def directory(request):
    return render(request, "organisations/directory.html", {"organisations": organisations_public()})


def detail(request, pk: int):
    organisation = get_object_or_404(organisations_public(), pk=pk)
    private = organisations_visible_to(request.user).filter(pk=pk).exists()
    is_admin = is_organisation_admin(request.user, organisation)
    can_verify = staff_scope(request.user).covers(organisation.centre_id)
    letters = set(
        signatory_letters_visible_to(request.user).filter(organisation=organisation).values_list("pk", flat=True)
    )
    context = {
        "organisation": organisation,
        "private": private,
        "members": organisation_members(organisation) if private else [],
        "is_admin": is_admin,
        "can_verify": can_verify,
        "can_edit": can_edit_organisation_details(request.user, organisation),
        "member_form": MemberAddForm(),
        "signatory_names": _(", ").join(signatory_names(organisation)),
        "signatories": list(signatories_of(organisation)) if private else [],
        "readable_letters": letters,
        "is_member": private and organisation.memberships.filter(user_id=request.user.pk).exists(),
        "is_signatory": is_signatory(request.user, organisation),
        "nominate_form": SignatoryNominateForm(organisation=organisation) if is_admin else None,
        "audit_visible": private and (is_admin or can_verify or is_signatory(request.user, organisation)),
        "api_tokens_visible": private and can_see_api_tokens(request.user, organisation),
    }
    return render(request, "organisations/detail.html", context)


@login_required
def register(request):
    form = OrganisationRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your organisation is registered. Its operation centre will verify it."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


@login_required
def details_edit(request, pk: int):
    organisation = get_object_or_404(organisations_public(), pk=pk)
    if not can_edit_organisation_details(request.user, organisation):
        raise PermissionDenied(
            _("Only an administrator of the organisation or staff of its operation centre may edit its details.")
        )
    initial = {name: getattr(organisation, name) for name in OrganisationDetailsForm.base_fields}
    form = OrganisationDetailsForm(request.POST or None, initial=initial)
    if organisation.kind != OrganisationKind.ENTERPRISE:
        del form.fields["size"]  # only an enterprise states its size
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update_details(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The organisation's details are saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/details_edit.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def member_add(request, pk: int):
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership_add(organisation=organisation, actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Member added."))
    else:
        flash_form_errors(request, form)
    return redirect("organisations:detail", pk=organisation.pk)


@login_required
def verification_queue(request):
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff verify organisations."))
    return render(
        request,
        "organisations/verification_queue.html",
        {"organisations": organisations_to_verify(request.user)},
    )


@login_required
@require_POST
def set_verified(request, pk: int):
    organisation = get_object_or_404(organisations_to_verify(request.user), pk=pk)
    verified = request.POST.get("verified") == "1"
    organisation_set_verified(organisation=organisation, actor=request.user, verified=verified)
    if verified:
        messages.success(request, _("%(name)s is now verified.") % {"name": organisation.name})
    else:
        messages.info(request, _("%(name)s is no longer verified.") % {"name": organisation.name})
    # Back where the broker came from, but only to a page of this site: "next" is whatever the form sent.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "organisations:verification_queue"
    return redirect(back)


# --- Signatories ----------------------------------------------------------------------------------------------


def _back(request, default: str, **kwargs):
    """Back where the person came from, but only to a page of this site: "next" is whatever the form sent."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(default, **kwargs)


@login_required
@require_POST
def signatory_nominate_view(request, pk: int):
    """An administrator names a member as signatory, with the authorisation letter."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    form = SignatoryNominateForm(request.POST, request.FILES, organisation=organisation)
    if form.is_valid():
        with refusal_flashed(request):
            signatory = signatory_nominate(organisation=organisation, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _(
                    "%(person)s is nominated as a signatory. The operation centre verifies the letter; until then "
                    "they cannot sign."
                )
                % {"person": signatory.user},
            )
    else:
        flash_form_errors(request, form)
    return redirect("organisations:detail", pk=organisation.pk)


def _signatory(request, pk: int, signatory_pk: int) -> Signatory:
    """A nomination of an organisation the person may see in private; a 404 for anyone else."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    return get_object_or_404(
        Signatory.objects.select_related("organisation", "user"), pk=signatory_pk, organisation=organisation
    )


@login_required
@require_GET
def signatory_letter(request, pk: int, signatory_pk: int):
    """The authorisation letter behind a nomination: to the organisation's administrators, the person named and
    staff of its centre; a 404 to anyone else, as if it did not exist."""
    signatory = get_object_or_404(signatory_letters_visible_to(request.user), pk=signatory_pk, organisation_id=pk)
    return protected_file_response(signatory.letter, filename=signatory.letter_name)


@login_required
@require_POST
def signatory_verify_view(request, pk: int, signatory_pk: int):
    signatory = _signatory(request, pk, signatory_pk)
    with refusal_flashed(request):
        signatory_verify(signatory=signatory, actor=request.user)
        messages.success(
            request,
            _("%(person)s may now sign for %(organisation)s.")
            % {"person": signatory.user, "organisation": signatory.organisation.name},
        )
    return _back(request, "organisations:detail", pk=pk)


@login_required
@require_POST
def signatory_refuse_view(request, pk: int, signatory_pk: int):
    signatory = _signatory(request, pk, signatory_pk)
    form = SignatoryRefuseForm(request.POST)
    if form.is_valid():
        with refusal_flashed(request):
            signatory_refuse(signatory=signatory, actor=request.user, reason=form.cleaned_data["reason"])
            messages.info(request, _("The nomination of %(person)s is refused.") % {"person": signatory.user})
    else:
        flash_form_errors(request, form)
    return _back(request, "organisations:detail", pk=pk)


@login_required
@require_POST
def signatory_revoke_view(request, pk: int, signatory_pk: int):
    signatory = _signatory(request, pk, signatory_pk)
    form = SignatoryRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refusal_flashed(request):
        signatory_revoke(signatory=signatory, actor=request.user, reason=reason)
        messages.info(request, _("%(person)s no longer signs for the organisation.") % {"person": signatory.user})
    return _back(request, "organisations:detail", pk=pk)


@login_required
def signatory_queue(request):
    """For brokers: nominations of signatories awaiting a decision, of organisations their centres serve."""
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff verify signatories."))
    return render(
        request,
        "organisations/signatory_queue.html",
        {
            "nominations": signatories_to_verify(request.user),
        },
    )


# --- API tokens ------------------------------------------------------------------------------------------------


@login_required
def api_tokens(request, pk: int):
    """The organisation's API tokens: its administrators create them (the secret is in this one answer, never
    again) and revoke them; staff of its centre see them and may revoke a misused one."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    if not can_see_api_tokens(request.user, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation manages its API tokens."))
    is_admin = is_organisation_admin(request.user, organisation)
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("Only an administrator of the organisation may create API tokens."))
        if form.is_valid():
            try:
                issued = api_token_create(organisation=organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                form = ApiTokenForm()
    context = {
        "organisation": organisation,
        "tokens": api_tokens_of(organisation),
        "form": form if is_admin else None,
        "issued": issued,
    }
    response = render(request, "organisations/api_tokens.html", context)
    # The page may hold a secret shown once: no cache (the browser's or a proxy's) may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk: int, token_pk: int):
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    token = get_object_or_404(ApiToken, pk=token_pk, organisation=organisation)
    if not can_revoke_api_tokens(request.user, organisation):
        raise PermissionDenied(
            _("Only an administrator of the organisation or staff of its operation centre may revoke its API tokens.")
        )
    api_token_revoke(token=token, actor=request.user)
    messages.info(request, _("The token %(prefix)s… is revoked: it no longer works.") % {"prefix": token.prefix})
    return redirect("organisations:api_tokens", pk=organisation.pk)
