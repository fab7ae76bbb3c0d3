from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User


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
