from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.forms import MatchPreferenceForm
from matching.selectors import match_preference_of
from matching.services import match_preference_set


@login_required
@require_POST
def preference(request):
    """The setting on the account page (templates/matching/_preference_form.html) posts here."""
    form = MatchPreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to hear of new matches: off, a daily digest or as they are found."))
        context = {"form": form, "current": match_preference_of(request.user)}
        return render(request, "matching/preference_invalid.html", context, status=400)
    match_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("Your choice for new matches is saved."))
    return redirect("accounts:account")
