from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Frequency


class MatchPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Tell me of new matches for my organisation's demands and listings"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )
