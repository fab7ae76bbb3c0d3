from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from marketplace.accounts.forms import LoginForm, SignupForm
from marketplace.accounts.services import user_create


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
