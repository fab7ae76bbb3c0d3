from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordResetConfirmView as DjangoPasswordResetConfirmView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from marketplace.accounts.backends import clear_account_failures
from marketplace.accounts.forms import LoginForm, SignupForm, UnlockRequestForm
from marketplace.accounts.services import unlock_link_send, unlock_token_email, user_create


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:workspace")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data.get("display_name", ""),
            phone=form.cleaned_data.get("phone", ""),
        )
        login(request, user)  # the one backend in AUTHENTICATION_BACKENDS
        messages.success(request, _("Welcome! Register your organisation or ask its administrator to add you."))
        return redirect("portal:workspace")
    return render(request, "accounts/signup.html", {"form": form})


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
