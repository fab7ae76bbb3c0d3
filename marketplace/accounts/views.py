import json
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordResetConfirmView as DjangoPasswordResetConfirmView
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from qrcode.image.svg import SvgPathImage

from marketplace.accounts.backends import (
    blocked_minutes,
    clear_account_failures,
    count_login_failure,
    login_blocking_scope,
)
from marketplace.accounts.forms import (
    AccountCloseForm,
    AuthenticatorCodeForm,
    LoginForm,
    PrivacyConsentForm,
    ProfileForm,
    SecondFactorCodeForm,
    SignupForm,
    UnlockRequestForm,
)
from marketplace.accounts.middleware import SESSION_KEY as CONSENT_SESSION_KEY
from marketplace.accounts.middleware import second_step_url
from marketplace.accounts.selectors import (
    account_closure_obstacles,
    authenticator_of,
    consented_notice_version,
    consents_of,
    personal_data_export,
    privacy_notice_version,
    recovery_codes_left,
    second_factor_required,
)
from marketplace.accounts.services import (
    TooManyWrongCodes,
    account_close,
    authenticator_setup_confirm,
    authenticator_setup_start,
    privacy_consent_record,
    recovery_codes_renew,
    second_factor_check,
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
        messages.success(
            request,
            _(
                "Welcome! Register your organisation or ask its administrator to add you. A broker asks their "
                "operation centre's administrator to add them to the centre's staff."
            ),
        )
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

    def get_success_url(self):
        # Staff and brokers go on to the second step (every other page would send them there anyway).
        url = super().get_success_url()
        if second_factor_required(self.request.user):
            return second_step_url(self.request.user, url)
        return url


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


# --- The second step: an authenticator app, and recovery codes ---------------------------------------------------

# The recovery codes just made, kept in the session until the person says they have put them somewhere safe.
RECOVERY_CODES_SESSION_KEY = "accounts:recovery_codes_to_show"


def _next_url(request, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else resolve_url(default)


def _second_step_passed(request, device) -> None:
    # A new session key (and CSRF token) for the verified session, as Django's login() does for the first step:
    # a key taken between the two steps is worth nothing afterwards.
    request.session.cycle_key()
    rotate_token(request)
    otp_login(request, device)


def _qr_code_svg(text: str) -> str:
    """The QR code an authenticator app scans, drawn here as SVG: the secret goes to no other server."""
    return qrcode.make(text, image_factory=SvgPathImage, box_size=18, border=2).to_string(encoding="unicode")


def _grouped(secret: str) -> str:
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The second step at log-in: a code from the authenticator app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if request.user.is_verified() or not second_factor_required(request.user):
        return redirect(next_url)
    if authenticator_of(request.user) is None:
        return redirect(second_step_url(request.user, next_url))
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
            status = 429 if isinstance(error, TooManyWrongCodes) else 200
        else:
            _second_step_passed(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; it will not work again. %(count)s left: make new ones on "
                        "your two-step log-in page when they run low."
                    )
                    % {"count": recovery_codes_left(request.user)},
                )
            return redirect(next_url)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url}, status=status)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Setting up the authenticator app: scan the QR code (or type the key), confirm with a code it shows."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if not second_factor_required(request.user):
        return redirect(next_url)
    if authenticator_of(request.user) is not None:
        return redirect(next_url if request.user.is_verified() else second_step_url(request.user, next_url))
    device = authenticator_setup_start(user=request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = authenticator_setup_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
            status = 429 if isinstance(error, TooManyWrongCodes) else 200
        else:
            _second_step_passed(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': next_url})}")
    context = {
        "form": form,
        "next": next_url,
        "qr_code": mark_safe(_qr_code_svg(device.config_url)),  # noqa: S308 - SVG drawn here from our own data
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "account": request.user.get_username(),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/second_factor_setup.html", context, status=status)


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The recovery codes just made, shown until the person says they have kept them, and never again."""
    next_url = _next_url(request, "accounts:second_factor_settings")
    if request.method == "POST":
        request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        return redirect(next_url)
    codes = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if not codes:
        return redirect("accounts:second_factor_settings")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


@never_cache
@login_required
@require_GET
def recovery_codes_download(request):
    """The same codes as a text file to keep or print."""
    codes = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if not codes:
        raise Http404
    lines = [
        _("Recovery codes for %(account)s at %(site)s")
        % {"account": request.user.get_username(), "site": settings.SITE_URL},
        _("Each code works once, in place of a code from your authenticator app."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor_settings(request):
    """A person's two-step log-in: what is set up, and new recovery codes against a fresh code."""
    user = request.user
    authenticator = authenticator_of(user)
    form = AuthenticatorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if authenticator is None:
            return redirect(
                second_step_url(user) if second_factor_required(user) else "accounts:second_factor_settings"
            )
        if form.is_valid():
            try:
                codes = recovery_codes_renew(user=user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
                status = 429 if isinstance(error, TooManyWrongCodes) else 200
            else:
                request.session[RECOVERY_CODES_SESSION_KEY] = codes
                messages.success(request, _("New recovery codes are made; the old ones no longer work."))
                return redirect("accounts:recovery_codes")
    context = {
        "form": form,
        "required": second_factor_required(user),
        "authenticator": authenticator,
        "codes_left": recovery_codes_left(user),
        "events": user.second_factor_events.select_related("actor")[:10],
    }
    return render(request, "accounts/second_factor_settings.html", context, status=status)
