"""Demo patents and listings: generated from their index alone, and bulk-loaded.

Listing number `index` is always the same listing. Its content comes from `random.Random(DEMO_SEED + index)` (never
the global generator) and its application numbers from a bijection of the index, so:

- `seed_listings(n)` ensures that demo listings 0..n-1 exist, whatever batches created them and in whatever order;
- a demo listing is found by the application number of its first patent, which no other index can produce; a
  re-run looks those numbers up batch by batch and creates only the missing listings (idempotent, and growing
  from N to M adds M - N);
- nothing depends on the clock: dates are drawn relative to DEMO_TODAY, so two databases seeded on different
  days hold the same rows.

Rows go in with bulk_create, one transaction per batch, so memory stays flat however many listings are asked
for. bulk_create skips Model.save(): the expiry date and IPC columns that Patent.save() derives are set here.

Modules: `world` (seed, today, sellers, shares), `numbers` (application numbers), `draws` (random draws),
`words` and `texts` (the Chinese texts), `english` (the English title and summary that some sellers add),
`generator` (one listing from its index), `records` (what it produces), `loading` (into the database).
"""

from portal.demo.listings.generator import demo_listing, first_application_number, quality_score
from portal.demo.listings.loading import (
    REVIEWED_LISTINGS,
    default_workers,
    seed_listings,
)
from portal.demo.listings.numbers import MAX_DEMO_LISTINGS, application_number, scramble
from portal.demo.listings.records import DemoBenefit, DemoListing, DemoPatent, DemoTerms
from portal.demo.listings.world import DEMO_SEED, DEMO_TODAY

__all__ = [
    "DEMO_SEED",
    "DEMO_TODAY",
    "MAX_DEMO_LISTINGS",
    "REVIEWED_LISTINGS",
    "DemoBenefit",
    "DemoListing",
    "DemoPatent",
    "DemoTerms",
    "application_number",
    "default_workers",
    "demo_listing",
    "first_application_number",
    "quality_score",
    "scramble",
    "seed_listings",
]
