"""What the demand page, the listing page and the account page include from matching: each partial asks for its rows
here, so the pages of the older apps need one include line and no import of matching."""

from django import template
from django.utils.translation import gettext as _

from matching.forms import MatchPreferenceForm
from matching.selectors import demand_matches_visible_to, listing_matches_visible_to, match_preference_of

register = template.Library()


@register.simple_tag(takes_context=True)
def demand_matches(context, demand):
    request = context.get("request")
    if request is None or demand.status != "published":
        return []
    return demand_matches_visible_to(request.user, demand)


@register.simple_tag(takes_context=True)
def listing_matches(context, listing):
    request = context.get("request")
    if request is None:
        return []
    return listing_matches_visible_to(request.user, listing)


@register.simple_tag(takes_context=True)
def match_preference_form(context):
    request = context.get("request")
    return MatchPreferenceForm(initial={"frequency": match_preference_of(request.user)})


@register.filter
def match_reasons(reasons: dict) -> list[str]:
    """The reasons of a match in words."""
    said = []
    if reasons.get("words"):
        said.append(_("Shared terms: %(words)s") % {"words": "、".join(reasons["words"][:5])})
    if reasons.get("ipc"):
        said.append(_("Same IPC group: %(codes)s") % {"codes": ", ".join(reasons["ipc"])})
    if reasons.get("same_field"):
        said.append(_("Same technology field"))
    if reasons.get("same_region"):
        said.append(_("Same region"))
    return said


@register.filter
def score_percent(score: float) -> int:
    return round(score * 100)
