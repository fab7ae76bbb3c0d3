from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.backends import LOGIN_SCOPE, login_blocked
from marketplace.accounts.models import User
from marketplace.core.ratelimit import limit_for


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name", "phone"]
        labels = {"email": _("E-mail address"), "display_name": _("Your name"), "phone": _("Phone")}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing at once (before any password check) while this account has failed too
    often from this address; the reason is shown on the form and the page answers 429."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed log-in attempts for this account. Wait %(minutes)s minutes, then try again, "
            "or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and login_blocked(self.request, username):
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": limit_for(LOGIN_SCOPE).minutes},
            )
        return super().clean()

    @property
    def rate_limited(self) -> bool:
        return any(error.code == "rate_limited" for error in self.errors.as_data().get("__all__", []))
