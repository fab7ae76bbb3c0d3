import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordResetConfirmView as DjangoPasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from marketplace.accounts.backends import (
    blocked_minutes,
    clear_account_failures,
    count_login_failure,
    login_blocking_scope,
)
from marketplace.accounts.forms import (
    AccountCloseForm,
    LoginForm,
    PrivacyConsentForm,
    ProfileForm,
    SignupForm,
    UnlockRequestForm,
)
from marketplace.accounts.middleware import SESSION_KEY as CONSENT_SESSION_KEY
from marketplace.accounts.selectors import (
    account_closure_obstacles,
    consented_notice_version,
    consents_of,
    personal_data_export,
    privacy_notice_version,
)
from marketplace.accounts.services import (
    account_close,
    privacy_consent_record,
    unlock_link_send,
    unlock_token_email,
    user_profile_update,
    user_sign_up,
)
from marketplace.core.forms import add_service_error


def _ip_address(request) -> str | None:
    # The peer the ASGI server reports (the visitor's, behind the proxy: accounts.backends.client_address).
    return request.META.get("REMOTE_ADDR") or None


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:workspace")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data.get("display_name", ""),
            phone=form.cleaned_data.get("phone", ""),
            ip_address=_ip_address(request),
        )
        login(request, user)  # the one backend in AUTHENTICATION_BACKENDS
        messages.success(request, _("Welcome! Register your organisation or ask its administrator to add you."))
        return redirect("portal:workspace")
    context = {"form": form, "notice_version": privacy_notice_version()}
    return render(request, "accounts/signup.html", context)


class LoginView(DjangoLoginView):
    """Django's log-in page with the throttle's reason on the form, answered 429 while it applies."""

    form_class = LoginForm
    template_name = "accounts/login.html"

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response


class PasswordResetConfirmView(DjangoPasswordResetConfirmView):
    """Django's, and a new password clears the account's login failures (it proves the mailbox)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        clear_account_failures(self.request, self.user.get_username())
        return response


@require_http_methods(["GET", "POST"])
def unlock_request(request):
    """Ask for an unlock link. The answer is the same whether or not an account uses the address."""
    form = UnlockRequestForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        unlock_link_send(email=form.cleaned_data["email"], request=request)
        return render(request, "accounts/unlock_sent.html")
    return render(request, "accounts/unlock_request.html", {"form": form})


def unlock(request, token: str):
    email = unlock_token_email(token)
    if email is None:
        return render(request, "accounts/unlock_done.html", {"valid": False}, status=400)
    clear_account_failures(request, email)
    return render(request, "accounts/unlock_done.html", {"valid": True})


# --- Privacy: the notice, consent, the person's copy of their data, closing the account ------------------------


def privacy_notice(request):
    context = {"notice_version": privacy_notice_version(), "contact_email": settings.PRIVACY_CONTACT_EMAIL}
    return render(request, "accounts/privacy_notice.html", context)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


@login_required
@require_http_methods(["GET", "POST"])
def privacy_consent(request):
    """Asked of a signed-in person when the notice has changed since they agreed to it (accounts.middleware)."""
    next_url = _safe_next(request, "/workspace/")
    current = privacy_notice_version()
    if request.method == "GET" and consented_notice_version(request.user) == current:
        return redirect(next_url)
    form = PrivacyConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy_consent_record(user=request.user, ip_address=_ip_address(request))
        request.session[CONSENT_SESSION_KEY] = current
        messages.success(
            request, _("Thank you: you have accepted the privacy notice of %(version)s.") % {"version": current}
        )
        return redirect(next_url)
    context = {"form": form, "next": next_url, "notice_version": current}
    return render(request, "accounts/privacy_consent.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The person's account: their details (which they may correct), their consents, and the two rights that
    need a page: a copy of their data, and closing the account."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:account")
    context = {"form": form, "consents": consents_of(request.user), "notice_version": privacy_notice_version()}
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
def personal_data_download(request):
    """The person's personal data, from every app, as one JSON file (a few queries per app: built at once)."""
    document = personal_data_export(request.user)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"personal-data-{request.user.pk}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    form = AccountCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = request.user.email
        # The password is guessed here as on the login page, with someone else's open session: the same limits.
        scope = login_blocking_scope(request, email)
        if scope is not None:
            form.add_error(
                None,
                _("Too many wrong passwords. Wait %(minutes)s minutes, then try again.")
                % {"minutes": blocked_minutes(scope)},
            )
        else:
            try:
                account_close(user=request.user, password=form.cleaned_data["password"])
            except ValidationError as error:
                if "password" in getattr(error, "error_dict", {}):
                    count_login_failure(request, email)
                add_service_error(form, error)
            else:
                logout(request)
                messages.success(request, _("Your account is closed and your personal data erased. Goodbye."))
                return redirect("portal:home")
    context = {"form": form, "obstacles": account_closure_obstacles(request.user)}
    return render(request, "accounts/close_account.html", context)
