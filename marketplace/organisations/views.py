from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.centres.selectors import staff_scope
from marketplace.core.forms import add_service_error, flash_form_errors, flash_service_error
from marketplace.organisations.forms import MemberAddForm, OrganisationRegisterForm
from marketplace.organisations.selectors import (
    is_organisation_admin,
    organisation_members,
    organisations_public,
    organisations_to_verify,
    organisations_visible_to,
)
from marketplace.organisations.services import (
    membership_add,
    organisation_register,
    organisation_set_verified,
)


def directory(request):
    return render(request, "organisations/directory.html", {"organisations": organisations_public()})


def detail(request, pk: int):
    organisation = get_object_or_404(organisations_public(), pk=pk)
    private = organisations_visible_to(request.user).filter(pk=pk).exists()
    context = {
        "organisation": organisation,
        "private": private,
        "members": organisation_members(organisation) if private else [],
        "is_admin": is_organisation_admin(request.user, organisation),
        "can_verify": staff_scope(request.user).covers(organisation.centre_id),
        "member_form": MemberAddForm(),
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
