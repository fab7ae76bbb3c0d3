from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.backends import ADDRESS_SCOPE, blocked_minutes, login_blocking_scope
from marketplace.accounts.models import User, time_zone_names


class SignupForm(UserCreationForm):
    # PIPL art. 14: consent given by a clear act, never ticked in advance.
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing of my personal data it describes."),
        error_messages={"required": _("To create an account, please read the privacy notice and agree to it.")},
    )

    class Meta:
        model = User
        fields = ["email", "display_name", "phone"]
        labels = {"email": _("E-mail address"), "display_name": _("Your name"), "phone": _("Phone")}
        help_texts = {"phone": _("Optional: for the operation centre to reach you about a deal.")}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing at once (before any password check) while a login limit applies; the
    reason is shown on the form and the page answers 429."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed log-in attempts for this account. Wait %(minutes)s minutes, then try again, "
            "reset your password, or have an unlock link sent to your e-mail address."
        ),
        "address_limited": _(
            "Too many failed log-in attempts from your network, on several accounts. Wait %(minutes)s minutes, "
            "then try again."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        scope = login_blocking_scope(self.request, username) if username else None
        if scope is not None:
            code = "address_limited" if scope == ADDRESS_SCOPE else "rate_limited"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"minutes": blocked_minutes(scope)}
            )
        return super().clean()

    @property
    def rate_limited(self) -> bool:
        codes = {error.code for error in self.errors.as_data().get("__all__", [])}
        return bool(codes & {"rate_limited", "address_limited"})

    @property
    def unlock_offered(self) -> bool:
        return any(error.code == "rate_limited" for error in self.errors.as_data().get("__all__", []))


class UnlockRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class PrivacyConsentForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the new privacy notice and agree to it."),
        error_messages={"required": _("Tick the box to accept the new privacy notice, or close your account.")},
    )


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,  # left out: the zone stays as it was
        help_text=_("Every date and time on the platform is shown to you in this zone."),
    )

    class Meta:
        model = User
        fields = ["display_name", "phone", "time_zone"]
        labels = {"display_name": _("Your name"), "phone": _("Phone")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    understood = forms.BooleanField(
        label=_("I understand that closing my account cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you understand what closing the account does.")},
    )


class SecondFactorCodeForm(forms.Form):
    """The second step: six digits from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class AuthenticatorCodeForm(forms.Form):
    """A code only the authenticator app can give (setting it up; replacing the recovery codes)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=32,
        help_text=_("Six digits; a new one every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )
