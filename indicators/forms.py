"""The parameters every indicators page, the API, the exports and the commands take, validated in one place."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, quarter_of
from indicators.selectors import GROUPINGS, Filters
from listings.ipc_sections import ipc_section_choices
from listings.models import Mode
from marketplace.centres.selectors import centres_with_depth
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind

QUARTERS = [(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _centre_choices() -> list[tuple]:
    # A callable: the tree is read when the form is built, not when the module is imported.
    return [("", _("All centres"))] + [
        (centre.id, "\u3000" * depth + centre.name) for centre, depth in centres_with_depth()
    ]


def _ipc_choices() -> list[tuple]:
    return [("", _("All fields")), *ipc_section_choices()]


class FiguresForm(forms.Form):
    """A period and dimension filters. A quarter or a month needs a year; a month must fall in the quarter."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("Whole year")), *QUARTERS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", _("Every month")), *[(month, f"{month:02d}") for month in range(1, 13)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    centre = forms.TypedChoiceField(
        label=_("Operation centre"), choices=_centre_choices, coerce=int, empty_value=None, required=False
    )
    city = forms.ChoiceField(label=_("City"), choices=[("", _("All cities")), *City.choices], required=False)
    seller_kind = forms.ChoiceField(
        label=_("Seller type"), choices=[("", _("All seller types")), *OrganisationKind.choices], required=False
    )
    ipc_section = forms.ChoiceField(label=_("Technology field"), choices=_ipc_choices, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", _("All modes")), *Mode.choices], required=False)

    def clean(self):
        data = super().clean()
        year, quarter, month = data.get("year"), data.get("quarter"), data.get("month")
        if (quarter or month) and not year:
            raise forms.ValidationError(_("Choose a year for a quarter or a month."), code="period_without_year")
        if quarter and month and quarter_of(month) != quarter:
            raise forms.ValidationError(
                _("Month %(month)s is not in Q%(quarter)s.") % {"month": month, "quarter": quarter},
                code="month_outside_quarter",
            )
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            year=data.get("year"),
            quarter=data.get("quarter"),
            month=data.get("month"),
            centre_id=data.get("centre"),
            city=data.get("city") or "",
            seller_kind=data.get("seller_kind") or "",
            ipc_section=data.get("ipc_section") or "",
            mode=data.get("mode") or "",
        )


class DashboardForm(FiguresForm):
    """The dashboard's filters: a period and a centre, each answered from the rollup. Slicing by a city, a seller
    type, a field or a mode as well reads the ledger itself; the API and the exports offer it."""

    city = None
    seller_kind = None
    ipc_section = None
    mode = None


class ExportForm(FiguresForm):
    by = forms.ChoiceField(label=_("Group by"), choices=[(name, name) for name in GROUPINGS], initial="city")
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv")


class DrilldownForm(FiguresForm):
    indicator = forms.ChoiceField(
        label=_("Indicator"), choices=[("", _("All indicators")), *Indicator.choices], required=False
    )


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)


FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 yuan = 1,000,000 fen


class TargetForm(forms.Form):
    """A target as staff type it: in 万元, as targets are announced (220 亿元 = 2,200,000 万元)."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    centre = forms.TypedChoiceField(
        label=_("Scope"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("A centre's figures include those of the centres below it."),
    )
    amount_wan = forms.DecimalField(
        label=_("Target (10,000 yuan)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(
        label=_("Source"), max_length=200, required=False, help_text=_("e.g. the plan or decision that sets it")
    )

    def __init__(self, *args, centres: list[tuple[int | None, str]], **kwargs):
        """`centres`: the scopes this person may set, (None, "Province-wide") among them if they may."""
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("" if centre_id is None else centre_id, name) for centre_id, name in centres]

    @property
    def amount_fen(self) -> int:
        return int(self.cleaned_data["amount_wan"] * FEN_PER_WAN)
