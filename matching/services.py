"""Writes of matching: each side's refresh, the removal when a side leaves the site, notices and preferences.

The refreshes are idempotent (running one twice leaves what one run leaves) and run on the task runner
(matching.tasks); a single publication's refresh is meant to finish within a second.
"""

import json
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from demands.models import Demand, DemandStatus
from listings.models import Listing, ListingStatus
from marketplace.core.notifications import notify_users_on_commit
from marketplace.core.pagecache import invalidate_public_pages
from matching.models import Audience, DemandProfile, Frequency, Match, MatchNotice, MatchPreference
from matching.scoring import (
    DemandTerms,
    ListingText,
    best_of_families,
    key_terms,
    normalise,
    score_pair,
    term_weight,
)
from matching.selectors import listing_text_of, listing_texts
from search import get_search_backend
from search.backends.base import SearchQuery

logger = logging.getLogger(__name__)

# Listings each term's query brings as candidates; the IPC groups queried per demand.
HITS_PER_TERM = 50
IPC_QUERIES = 4


# --- The demand's side ---------------------------------------------------------------------------------------


def _market_size() -> int:
    return Listing.objects.filter(status=ListingStatus.PUBLISHED).count()


def _search(text: str, page_size: int):
    try:
        return get_search_backend().search(SearchQuery(text=text, page_size=page_size))
    except ValueError:  # a term the query parser refuses
        return None


def demand_profile_build(*, demand: Demand) -> tuple[DemandTerms, set[int]]:
    """What the demand looks for, weighted by what the search engine finds for each term, and the candidates it
    found (matching.scoring, stages 1 and 2)."""
    factors, concepts, concept_ipc = key_terms(demand.title, demand.description)
    ipc_prefixes = list(dict.fromkeys([*demand.ipc_codes, *concept_ipc]))
    market = _market_size()
    candidates: set[int] = set()
    terms = []
    for term, factor in factors.items():
        results = _search(term, HITS_PER_TERM)
        frequency = results.total if results is not None else 0
        # A term no listing has yet is as specific as a term can be: it keeps its weight for listings to come.
        weight = term_weight(factor, frequency, max(market, 1))
        terms.append((term, round(weight, 4)))
        if results is not None and weight > 0:
            candidates.update(results.ids)
    for prefix in ipc_prefixes[:IPC_QUERIES]:
        results = _search(prefix, HITS_PER_TERM)
        if results is not None:
            candidates.update(results.ids)
    terms.sort(key=lambda item: -item[1])
    profile = DemandTerms(
        demand_id=demand.pk,
        organisation_id=demand.organisation_id,
        field=demand.field,
        city=demand.city,
        text=normalise(f"{demand.title}\n{demand.description}"),
        terms=tuple(terms),
        concepts=tuple(concepts),
        ipc_prefixes=tuple(ipc_prefixes),
    )
    return profile, candidates


def _profile_save(profile: DemandTerms) -> None:
    DemandProfile.objects.update_or_create(
        demand_id=profile.demand_id,
        defaults={
            "terms": [list(pair) for pair in profile.terms],
            "concepts": list(profile.concepts),
            "ipc_prefixes": list(profile.ipc_prefixes),
            "text": profile.text,
            "computed_at": timezone.now(),
        },
    )


def _profile_of(stored: DemandProfile, demand: Demand) -> DemandTerms:
    return DemandTerms(
        demand_id=demand.pk,
        organisation_id=demand.organisation_id,
        field=demand.field,
        city=demand.city,
        text=stored.text,
        terms=tuple((term, weight) for term, weight in stored.terms),
        concepts=tuple(stored.concepts),
        ipc_prefixes=tuple(stored.ipc_prefixes),
    )


def match_demand_refresh(*, demand_id: int) -> int:
    """(Re)compute the listings that may answer a published demand: the best of each family of near-identical
    listings, the top settings.MATCHING_TOP_N families at or above settings.MATCHING_MIN_SCORE, never the
    demand's own organisation's. A demand no longer published loses its matches. Returns how many it has."""
    demand = Demand.objects.filter(pk=demand_id).first()
    if demand is None:
        return 0
    if demand.status != DemandStatus.PUBLISHED:
        match_demand_clear(demand_id=demand_id)
        return 0
    profile, candidates = demand_profile_build(demand=demand)
    # The pairs stored already are scored again too (a listing's own refresh may have added them).
    candidates |= set(Match.objects.filter(demand_id=demand_id).values_list("listing_id", flat=True))
    scored = []
    for listing in listing_texts(candidates):
        score, reasons = score_pair(profile, listing)
        if score >= settings.MATCHING_MIN_SCORE:
            scored.append((score, listing, reasons))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    if scored:
        floor = scored[0][0] * settings.MATCHING_RELATIVE_CUTOFF
        scored = [item for item in scored if item[0] >= floor]
    kept = best_of_families(scored, listing_of=lambda item: item[1])[: settings.MATCHING_TOP_N]
    keep = {
        listing.id: (score, {**reasons, "similar_listings": left_out}) for (score, listing, reasons), left_out in kept
    }
    # Other pairs still above the threshold stay (the listings' side shows them), with their new score.
    others = {listing.id: (score, reasons) for score, listing, reasons in scored if listing.id not in keep}
    with transaction.atomic():
        _profile_save(profile)
        Demand.objects.select_for_update().filter(pk=demand_id).first()  # one refresh of a demand at a time
        before = _shown(demand_id=demand_id)
        Match.objects.filter(demand_id=demand_id).exclude(listing_id__in=[*keep, *others]).delete()
        for listing_id, (score, reasons) in others.items():
            Match.objects.filter(demand_id=demand_id, listing_id=listing_id).update(score=score, reasons=reasons)
        new_pairs = _upsert(((demand_id, listing_id), value) for listing_id, value in keep.items())
        _notices_create(new_pairs)
        if _shown(demand_id=demand_id) != before:
            transaction.on_commit(invalidate_public_pages)
    return len(keep)


def match_demand_clear(*, demand_id: int) -> int:
    deleted, _ = Match.objects.filter(demand_id=demand_id).delete()
    if deleted:
        transaction.on_commit(invalidate_public_pages)
    return deleted


# --- The listing's side --------------------------------------------------------------------------------------


def match_listing_refresh(*, listing_id: int) -> int:
    """(Re)compute the published demands a listing on the market may answer, scored against every published
    demand's stored profile (the same score as from the demand's side), the top settings.MATCHING_TOP_N at or above
    the threshold, never its own organisation's. A listing off the market loses its matches."""
    listing = Listing.objects.filter(pk=listing_id).select_related("seller").first()
    if listing is None:
        return 0
    if listing.status != ListingStatus.PUBLISHED:
        match_listing_clear(listing_id=listing_id)
        return 0
    text = listing_text_of(listing)
    profiles = (
        DemandProfile.objects.filter(demand__status=DemandStatus.PUBLISHED)
        .exclude(demand__organisation_id=listing.seller_id)
        .select_related("demand")
    )
    scored = []
    for stored in profiles:
        score, reasons = score_pair(_profile_of(stored, stored.demand), text)
        if score >= settings.MATCHING_MIN_SCORE:
            scored.append((score, stored.demand_id, reasons))
    scored.sort(key=lambda item: (-item[0], item[1]))
    keep = {demand_id: (score, reasons) for score, demand_id, reasons in scored[: settings.MATCHING_TOP_N]}
    with transaction.atomic():
        Listing.objects.select_for_update().filter(pk=listing_id).first()
        before = _shown(listing_id=listing_id)
        # How many near-identical listings a demand's page left out is known from the demand's side only: keep it.
        stored = Match.objects.filter(listing_id=listing_id, demand_id__in=list(keep)).values_list(
            "demand_id", "reasons"
        )
        for demand_id, reasons in stored:
            if "similar_listings" in reasons:
                score, fresh = keep[demand_id]
                keep[demand_id] = (score, {**fresh, "similar_listings": reasons["similar_listings"]})
        Match.objects.filter(listing_id=listing_id).exclude(demand_id__in=list(keep)).delete()
        new_pairs = _upsert(((demand_id, listing_id), value) for demand_id, value in keep.items())
        _notices_create(new_pairs)
        if _shown(listing_id=listing_id) != before:
            transaction.on_commit(invalidate_public_pages)
    return len(keep)


def match_listing_clear(*, listing_id: int) -> int:
    deleted, _ = Match.objects.filter(listing_id=listing_id).delete()
    if deleted:
        transaction.on_commit(invalidate_public_pages)
    return deleted


def _shown(**side) -> set[tuple]:
    """What the public pages show of one side's matches (pairs, scores, reasons): a refresh that changes none of it
    leaves the cached pages alone, since forgetting them costs every visitor's next page a full render."""
    rows = Match.objects.filter(**side).values_list("demand_id", "listing_id", "score", "reasons")
    return {
        (demand, listing, round(score, 4), json.dumps(reasons, sort_keys=True))
        for demand, listing, score, reasons in rows
    }


def _upsert(pairs) -> list[Match]:
    """Write the pairs' scores; return the pairs that are new."""
    now = timezone.now()
    created = []
    for (demand_id, listing_id), (score, reasons) in pairs:
        match, is_new = Match.objects.update_or_create(
            demand_id=demand_id,
            listing_id=listing_id,
            defaults={"score": score, "reasons": reasons, "computed_at": now},
        )
        if is_new:
            created.append(match)
    return created


# --- Notices ---------------------------------------------------------------------------------------------------


def _member_ids(organisation_ids: set[int]) -> dict[int, list[int]]:
    from marketplace.organisations.models import Membership

    members: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        organisation_id__in=organisation_ids, user__is_active=True, user__closed_at__isnull=True
    ).values_list("organisation_id", "user_id")
    for organisation_id, user_id in rows:
        members.setdefault(organisation_id, []).append(user_id)
    return members


def _notices_create(matches: list[Match]) -> None:
    """Tell the members of both sides of each new pair, as each prefers: live (a push after commit and the
    workspace), in the daily digest, or not at all. A person is told of a pair once, ever (MatchNotice is unique)."""
    if not matches:
        return
    pairs = Match.objects.filter(pk__in=[match.pk for match in matches]).values_list(
        "pk", "demand_id", "listing_id", "score", "demand__organisation_id", "listing__seller_id"
    )
    pairs = list(pairs)
    members = _member_ids({row[4] for row in pairs} | {row[5] for row in pairs})
    default = MatchPreference._meta.get_field("frequency").default
    preferences = dict(
        MatchPreference.objects.filter(user_id__in={u for ids in members.values() for u in ids}).values_list(
            "user_id", "frequency"
        )
    )
    already = set(
        MatchNotice.objects.filter(
            demand_id__in={row[1] for row in pairs}, listing_id__in={row[2] for row in pairs}
        ).values_list("user_id", "demand_id", "listing_id")
    )
    notices, live = [], {}
    now = timezone.now()
    for _pk, demand_id, listing_id, score, demand_org, seller_org in pairs:
        for audience, organisation_id in ((Audience.DEMAND, demand_org), (Audience.LISTING, seller_org)):
            for user_id in members.get(organisation_id, []):
                if (user_id, demand_id, listing_id) in already:
                    continue
                already.add((user_id, demand_id, listing_id))
                frequency = preferences.get(user_id, default)
                notices.append(
                    MatchNotice(
                        user_id=user_id,
                        demand_id=demand_id,
                        listing_id=listing_id,
                        audience=audience,
                        frequency=frequency,
                        score=score,
                        pushed_at=now if frequency == Frequency.LIVE else None,
                    )
                )
                if frequency == Frequency.LIVE:
                    live.setdefault(user_id, []).append((demand_id, listing_id))
    MatchNotice.objects.bulk_create(notices, ignore_conflicts=True)
    for user_id, found in live.items():
        message = ngettext(
            "%(count)d new match for your demands and listings",
            "%(count)d new matches for your demands and listings",
            len(found),
        ) % {"count": len(found)}
        notify_users_on_commit([user_id], {"message": message, "url": reverse("portal:workspace")})


def match_preference_set(*, user, frequency: str) -> MatchPreference:
    """Set how a person hears of new matches (off, daily digest, live)."""
    preference = MatchPreference.objects.filter(user=user).first() or MatchPreference(user=user)
    preference.frequency = frequency
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def match_digest_claim(*, user_id: int) -> list[int]:
    """Mark the person's daily-digest notices not mailed yet as mailed, and return them: each notice goes into one
    digest exactly (the mail is composed in matching.tasks)."""
    ids = list(
        MatchNotice.objects.select_for_update()
        .filter(user_id=user_id, frequency=Frequency.DAILY, mailed_at__isnull=True)
        .values_list("pk", flat=True)
    )
    MatchNotice.objects.filter(pk__in=ids).update(mailed_at=timezone.now())
    return ids


def users_with_digest_due() -> list[int]:
    user_model = get_user_model()
    return list(
        user_model.objects.filter(
            match_notices__frequency=Frequency.DAILY, match_notices__mailed_at__isnull=True, is_active=True
        )
        .distinct()
        .values_list("pk", flat=True)
    )


# --- For the demo and the benchmark ----------------------------------------------------------------------------


def match_refresh_all() -> dict[str, int]:
    """Refresh every published demand's matches, then every published listing's side (the demo's seed, the
    benchmark's full run). Idempotent."""
    demands = list(Demand.objects.filter(status=DemandStatus.PUBLISHED).values_list("pk", flat=True))
    pairs = 0
    for demand_id in demands:
        pairs += match_demand_refresh(demand_id=demand_id)
    return {"demands": len(demands), "pairs": Match.objects.count()}


def listing_text_for(listing_id: int) -> ListingText | None:
    texts = listing_texts([listing_id])
    return texts[0] if texts else None
