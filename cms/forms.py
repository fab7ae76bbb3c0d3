from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from cms.choices import PolicyCategory, PolicyLevel


@dataclass(frozen=True)
class PolicyFilters:
    """What the policy index is filtered by (PolicyNewsPage.objects.filtered applies it)."""

    query: str = ""
    level: str = ""
    category: str = ""
    year: int | None = None
    tag: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.level or self.category or self.year or self.tag)


@dataclass(frozen=True)
class PolicyFilterOptions:
    """The years and tags the index's readable articles have: the choices of the year and tag menus."""

    years: list[int]
    tags: list[Tag]


class PolicyFilterForm(forms.Form):
    """The policy index's search box and filters, read from the query string. Unknown values are ignored."""

    q = forms.CharField(label=_("Search policy news"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Level"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, data=None, *, years: list[int], tags: list, **kwargs):
        super().__init__(data, **kwargs)
        everything = [("", _("All"))]
        self.fields["level"].choices = everything + list(PolicyLevel.choices)
        self.fields["category"].choices = everything + list(PolicyCategory.choices)
        self.fields["year"].choices = everything + [(year, str(year)) for year in years]
        self.fields["tag"].choices = everything + [(tag.slug, tag.name) for tag in tags]

    def filters(self) -> PolicyFilters:
        """What to filter by: the valid fields only, so a stale or mistyped link still shows results."""
        self.is_valid()
        cleaned = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return PolicyFilters(
            query=(cleaned.get("q") or "").strip(),
            level=cleaned.get("level") or "",
            category=cleaned.get("category") or "",
            year=cleaned.get("year"),
            tag=cleaned.get("tag") or "",
        )
