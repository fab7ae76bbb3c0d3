from django import forms
from django.utils.translation import gettext_lazy as _

from auctions.models import OneBidderRule
from listings.forms import YuanField
from listings.models import LicenceType, Mode


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What is sold"), choices=[(Mode.TRANSFER, Mode.TRANSFER.label), (Mode.LICENCE, Mode.LICENCE.label)]
    )
    licence_type = forms.ChoiceField(
        label=_("Licence type"),
        choices=[("", "—"), *LicenceType.choices],
        required=False,
        help_text=_("For a licence only."),
    )
    territory = forms.CharField(label=_("Territory"), max_length=120, required=False)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=30, required=False)
    start_price_fen = YuanField(label=_("Start price (yuan)"), required=True)
    reserve_fen = YuanField(
        label=_("Reserve price (yuan)"),
        help_text=_("Optional: below it the round ends without a sale. Leave empty for none."),
    )
    reserve_shown = forms.BooleanField(label=_("Show the reserve price to bidders"), required=False)
    increment_fen = YuanField(label=_("Minimum increment (yuan)"), required=True)
    deposit_fen = YuanField(label=_("Deposit (yuan)"), required=True)
    bidding_starts_at = forms.DateTimeField(label=_("Bidding starts"), widget=DateTimeLocalInput())
    bidding_ends_at = forms.DateTimeField(label=_("Bidding ends"), widget=DateTimeLocalInput())
    extension_minutes = forms.IntegerField(
        label=_("Extension (minutes)"),
        min_value=1,
        max_value=60,
        initial=5,
        help_text=_("A bid in the last N minutes moves the end N minutes later."),
    )
    one_bidder_rule = forms.ChoiceField(
        label=_("When only one bidder qualifies"),
        choices=[("", _("The centre's rule")), *OneBidderRule.choices],
        required=False,
    )


class BidForm(forms.Form):
    bidder = forms.ModelChoiceField(label=_("Bid for"), queryset=None, empty_label=None)
    amount_fen = YuanField(label=_("Your bid (yuan)"), required=True)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        from marketplace.organisations.models import Organisation

        self.fields["bidder"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
