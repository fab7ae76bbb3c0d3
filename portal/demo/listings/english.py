"""The seller's own English version of a demo listing's title and summary, for the English site and English search.

About ENGLISH_SHARE of the listings have one; the others are in Chinese only, as many real sellers leave them.
Which ones, and the wording of their titles, is drawn from a generator of the listing's own, seeded from its index
apart from the one the Chinese texts draw from: adding English changed none of the Chinese data, and changing the
English never will.

The English states the facts the Chinese summary states, in fewer words: what the technology is, its first benefit in
numbers against what buyers use today, its application fields, how far it has come and who may take it up how. The
words come from technologies.py (`subject_en`, `buyers_en`) and technologies_en.py.
"""

import random
from collections.abc import Sequence

from listings.models import Maturity, Mode, PatentType
from portal.demo import technologies_en
from portal.demo.listings.draws import pick
from portal.demo.listings.records import DemoPatent, DemoTerms
from portal.demo.listings.texts import Measurement
from portal.demo.listings.world import DEMO_SEED, ENGLISH_SHARE
from portal.demo.technologies import Metric, TechnologyField, Topic

# Title patterns by topic kind, as English patent titles read; "{Subject}" is the subject with a capital letter.
TITLES = {
    "material": ("{Subject} and its preparation method", "{Subject} and method for preparing it"),
    "method": ("Method for {subject}", "{Subject}"),
    "device": ("{Subject}",),
    "system": ("Method and system for {subject} based on {technique}", "Method and system for {subject}"),
    "compound": ("{Subject} and use thereof", "{Subject}, preparation method and use thereof"),
    "extract": ("{Subject} and preparation method thereof", "Method for preparing {subject}"),
    "biologic": ("{Subject} and use thereof",),
    "detection": ("{Subject} and use thereof", "{Subject} and detection kit"),
}
PORTFOLIO_TITLES = ("{Subject}: a portfolio of {count} patents", "{Subject} (portfolio of {count} patents)")
M = Maturity
MATURITY = {  # words.MATURITY_SENTENCES, shorter
    M.CONCEPT: "Proven in principle",
    M.LAB: "Validated in the laboratory",
    M.PILOT: "Pilot-tested",
    M.SMALL_BATCH: "Made in small batches and tested by a third party",
    M.MASS_PRODUCTION: "In mass production at partner companies",
}
MODES = {Mode.LICENCE: "licensing", Mode.TRANSFER: "outright purchase", Mode.EQUITY: "contribution as equity"}
_SINGULAR_UNITS = {"days": "day", "months": "month", "points": "point"}


def english_texts(
    index: int,
    technology: TechnologyField,
    lead_topic: Topic | None,
    product: str,
    patents: list[DemoPatent],
    measurements: list[Measurement],
    uses: list[str],
    terms: list[DemoTerms],
    maturity: str,
    technique: str,
    *,
    placeholder: bool,
) -> tuple[str, str]:
    """The English title and summary of demo listing `index`, or two empty strings when its seller wrote none.

    `technique` is the one the lead patent's texts name (systems); `placeholder` says that the Chinese summary is the
    one-line placeholder of an unfinished draft, which the English then copies.
    """
    rng = random.Random(f"{DEMO_SEED + index} english")  # noqa: S311 - demo data wants reproducible draws
    if rng.random() >= ENGLISH_SHARE:
        return "", ""
    title = _title(rng, lead_topic, product, patents, technique)
    subject = lead_topic.subject_en if lead_topic else technologies_en.PRODUCTS[product]
    if placeholder:
        return title, f"{_capitalised(subject)}: patents on offer, enquiries welcome."
    offer = f"open to {technology.buyers_en} for {_listed([MODES[offer.mode] for offer in terms], 'or')}"
    if lead_topic is None:
        summary = (
            f"{_capitalised(subject)}, protected by a granted design patent: a clean, recognisable look for "
            f"upgrading a product's appearance. {MATURITY[maturity]}; {offer}."
        )
        return title, summary
    lead = _capitalised(subject) if len(patents) == 1 else f"{_capitalised(subject)}: {_portfolio(patents)}"
    benefit = f", with the {_benefit(measurements[0])}" if measurements else ""
    fields = _listed([technologies_en.USES[use] for use in uses], "and")
    return title, f"{lead}{benefit}. {MATURITY[maturity]}, for use in {fields}; {offer}."


def _title(
    rng: random.Random, lead_topic: Topic | None, product: str, patents: list[DemoPatent], technique: str
) -> str:
    if lead_topic is None:
        return f"{_capitalised(technologies_en.PRODUCTS[product])} (design)"
    subject = lead_topic.subject_en
    if len(patents) > 1:
        return pick(rng, PORTFOLIO_TITLES).format(Subject=_capitalised(subject), subject=subject, count=len(patents))
    technique_en = technologies_en.TECHNIQUES[technique] if technique else ""
    # "…privacy-preserving training by federated learning based on federated learning" says it twice.
    named = bool(technique_en) and technique_en.lower() not in subject.lower()
    templates = [template for template in TITLES[lead_topic.kind] if named or "{technique}" not in template]
    return pick(rng, templates).format(Subject=_capitalised(subject), subject=subject, technique=technique_en)


def _portfolio(patents: list[DemoPatent]) -> str:
    count = len(patents)
    inventions = sum(patent.patent_type == PatentType.INVENTION for patent in patents)
    if inventions == count:
        kinds = "all inventions"
    elif inventions == 0:
        kinds = "all utility models"
    else:
        kinds = f"{inventions} of them {'an invention' if inventions == 1 else 'inventions'}"
    return f"a portfolio of {count} patents ({kinds})"


def _benefit(measurement: Measurement) -> str:
    """ "cell energy density reaching 312 Wh/kg (about 245 Wh/kg for NCM523 cells)": the numbers of the Chinese."""
    metric = measurement.metric
    name = technologies_en.METRICS[metric.name]
    trend = "reaching" if metric.higher_is_better else "down to"
    baseline = technologies_en.BASELINES[metric.baseline_tech]
    return (
        f"{name} {trend} {_quantity(measurement.value, metric)} "
        f"(about {_quantity(measurement.baseline, metric)} for {baseline})"
    )


def _quantity(number: float, metric: Metric) -> str:
    """The number as the Chinese texts round it, with thousands separated and the unit in English."""
    digits = f"{number:,.{metric.decimals}f}"
    scale = technologies_en.UNIT_SCALES.get(metric.unit)
    if scale:  # 3万条 -> 30,000
        digits = f"{float(f'{number:.{metric.decimals}f}') * scale:,.0f}"
    unit = technologies_en.UNITS.get(metric.unit, metric.unit)
    if not unit:
        return digits
    if digits == "1":
        unit = _SINGULAR_UNITS.get(unit, unit)
    close_up = unit.startswith("%") or (unit.startswith("°") and not unit.startswith("°C"))
    return f"{digits}{'' if close_up else ' '}{unit}"


def _listed(items: Sequence[str], conjunction: str) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
