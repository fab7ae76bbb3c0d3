"""The texts of a demo listing: patent titles, abstracts and first claims in the style of a CNIPA publication,
measured benefits, the plain-language summary, the comparison, inventors' names."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from listings.models import PatentType
from portal.demo.listings.draws import between, fill, pick, sample
from portal.demo.listings.records import DemoBenefit, DemoPatent, DemoTerms
from portal.demo.listings.words import (
    COMPARISON_EXTRAS,
    CONNECTIONS,
    DESIGN_POINTS,
    DESIGN_VARIANTS,
    DESIGN_VIEWS,
    FOLLOW_UP_TITLE_TEMPLATES,
    GIVEN_NAME_CHARACTERS,
    LISTING_TITLE_SUFFIXES,
    MATURITY_SENTENCES,
    MODE_WORDS,
    POSITIONS,
    SURNAMES,
    TITLE_TEMPLATES,
    UTILITY_MERITS,
)
from portal.demo.listings.world import DemoSeller
from portal.demo.technologies import Metric, TechnologyField, Topic


@dataclass(slots=True)
class Measurement:
    """One benefit in numbers and the sentences that state it."""

    metric: Metric
    value: float  # as drawn; the texts round it to the metric's decimals
    baseline: float
    benefit: DemoBenefit
    effect: str  # for an abstract: "经测试，能量密度达到300Wh/kg，较…提高20%"
    plain: str  # for a summary: "能量密度可达300Wh/kg（…约250Wh/kg）"
    comparison: str  # for the comparison: "与…相比，能量密度由约250Wh/kg提升至300Wh/kg"


def measure(rng: random.Random, metrics: Sequence[Metric]) -> list[Measurement]:
    """1-3 of the topic's benefits, measured: a value in the technology's range, a baseline in today's."""
    if not metrics:
        return []
    measurements = []
    for metric in sample(rng, metrics, between(rng, 1, len(metrics))):
        value = metric.low + (metric.high - metric.low) * rng.random()
        baseline = metric.baseline_low + (metric.baseline_high - metric.baseline_low) * rng.random()
        value_text = f"{value:.{metric.decimals}f}{metric.unit}"
        baseline_text = f"{baseline:.{metric.decimals}f}{metric.unit}"
        if metric.unit.startswith("%"):
            gain = f"{abs(value - baseline):.{metric.decimals}f}个百分点"
        else:
            gain = f"{abs(value - baseline) / baseline:.0%}"
        better, reach, move = ("提高", "达到", "提升至") if metric.higher_is_better else ("降低", "降低至", "降至")
        measurements.append(
            Measurement(
                metric=metric,
                value=value,
                baseline=baseline,
                benefit=DemoBenefit(
                    metric.name, f"{value:.{metric.decimals}f}", metric.unit, f"{metric.baseline_tech}约{baseline_text}"
                ),
                effect=f"经测试，{metric.name}{reach}{value_text}，较{metric.baseline_tech}（约{baseline_text}）{better}{gain}",
                plain=f"{metric.name}可{'达' if metric.higher_is_better else '降至'}{value_text}"
                f"（目前常用的{metric.baseline_tech}约{baseline_text}）",
                comparison=f"与{metric.baseline_tech}相比，{metric.name}由约{baseline_text}{move}{value_text}",
            )
        )
    return measurements


@cache
def _title_templates(kind: str, *, follow_up: bool, with_adjective: bool) -> tuple[str, ...]:
    """Title templates for a topic kind: also the follow-up ones for the further patents of a portfolio, and only
    those without an adjective when the topic names none."""
    templates = (FOLLOW_UP_TITLE_TEMPLATES[kind] if follow_up else ()) + TITLE_TEMPLATES[kind]
    return templates if with_adjective else tuple(template for template in templates if "{adj}" not in template)


def write_patent(
    rng: random.Random,
    patent: DemoPatent,
    technology: TechnologyField,
    topic: Topic | None,
    product: str,
    effect: str,
    uses: list[str],
    earlier_titles: list[str],
) -> str:
    """Title, abstract, first claim and IPC codes in the style of a CNIPA publication. A design gets its product's
    name; later patents of a portfolio get titles of their own. Returns the analysis technique the texts name (a
    system's; "" for other kinds), which the English title names too."""
    if topic is None:
        # A product named with a qualifier in brackets already is a variant.
        patent.title = product if "（" in product else product + pick(rng, DESIGN_VARIANTS)
        patent.abstract = (
            f"1．本外观设计产品的名称：{patent.title}。2．本外观设计产品的用途：用于{uses[0]}。"
            f"3．本外观设计产品的设计要点：在于{pick(rng, DESIGN_POINTS)}。"
            f"4．最能表明设计要点的图片或照片：{pick(rng, DESIGN_VIEWS)}。"
        )
        return ""

    is_utility_model = patent.patent_type == PatentType.UTILITY_MODEL
    kind = topic.kind
    technique = pick(rng, topic.analysis.techniques) if topic.analysis else ""
    indication = pick(rng, topic.indications) if topic.indications else ""
    templates = _title_templates(
        "device_invention" if kind == "device" and not is_utility_model else kind,
        follow_up=bool(earlier_titles),
        with_adjective=bool(topic.adjectives),
    )
    for _attempt in range(4):
        patent.title = pick(rng, templates).format(
            adj=pick(rng, topic.adjectives) if topic.adjectives else "",
            subject=topic.subject,
            use=uses[0],
            technique=technique,
            indication=indication,
        )
        if patent.title not in earlier_titles:
            break
    # The main classification first, then some of the others, in the order CNIPA prints them.
    patent.ipc_codes = [topic.ipc[0], *(code for code in topic.ipc[1:] if rng.random() < 0.7)]
    effect_sentence = f"{effect}。" if effect else ""
    use_sentence = f"可应用于{'和'.join(uses[:2])}等领域。"
    owner = "本实用新型" if is_utility_model else "本发明"

    if kind in ("material", "method", "extract"):
        steps = [fill(rng, step) for step in topic.steps]
        numbered = "；".join(f"S{number}，{step}" for number, step in enumerate(steps, start=1))
        if patent.title.startswith(topic.subject) and patent.title.endswith("中的应用"):
            # A use claim ("…在制备…中的应用") names the use and says how the substance is made.
            how = f"所述{topic.subject}由以下步骤制得"
            patent.first_claim = f"1. {patent.title}，其特征在于，{how}：{numbered}。"
        else:
            how = "所述方法包括以下步骤"
            head = f"一种{topic.subject}方法" if kind == "method" else f"一种{topic.subject}的制备方法"
            patent.first_claim = f"1. {head}，其特征在于，包括以下步骤：{numbered}。"
        patent.abstract = (
            f"{owner}公开了{patent.title}，属于{technology.domain}技术领域。{how}：{'；'.join(steps)}。"
            f"{effect_sentence}{use_sentence}"
        )
    elif kind == "device":
        parts = sample(rng, topic.parts, min(len(topic.parts), pick(rng, (3, 4))))
        structure = (
            f"包括{'、'.join(parts[:-1])}和{parts[-1]}，所述{parts[1]}{pick(rng, CONNECTIONS)}于所述{parts[0]}，"
            f"所述{parts[2]}设置在所述{parts[1]}的{pick(rng, POSITIONS)}"
        )
        merit = f"{owner}结构简单、{pick(rng, UTILITY_MERITS)}，" if is_utility_model else ""
        patent.abstract = f"{owner}公开了{patent.title}，{structure}。{merit}{effect_sentence}{use_sentence}"
        patent.first_claim = f"1. 一种{topic.subject}，其特征在于：{structure}。"
    elif kind == "system":
        analysis = topic.analysis
        assert analysis is not None
        steps = [
            f"获取{analysis.data}",
            f"采用{technique}对所述数据{analysis.operation}，得到{analysis.result}",
            f"根据所述{analysis.result}{analysis.action}",
        ]
        patent.abstract = (
            f"{owner}公开了{patent.title}，所述方法包括：{'；'.join(steps)}。{effect_sentence}{use_sentence}"
        )
        numbered = "；".join(f"S{number}，{step}" for number, step in enumerate(steps, start=1))
        patent.first_claim = f"1. 一种{topic.subject}方法，其特征在于，包括：{numbered}。"
    else:  # compound, biologic, detection
        target = pick(rng, topic.targets) if topic.targets else ""
        finding = {
            "compound": f"所述化合物具有式(I)所示结构，对{target}具有高选择性抑制作用",
            "biologic": f"所述{topic.subject}能够特异性作用于{target}",
            "detection": f"研究发现，所述标志物在{target}患者血清中表达显著上调",
        }[kind]
        purpose = f"可用于制备{indication}。" if indication else ""
        patent.abstract = f"{owner}公开了{patent.title}。{finding}。{effect_sentence}{purpose}"
        patent.first_claim = f"1. {topic.claim}"
    return technique


def draw_inventors(rng: random.Random) -> list[str]:
    names: list[str] = []
    for _ in range(between(rng, 2, 6)):
        given = pick(rng, GIVEN_NAME_CHARACTERS)
        if rng.random() < 0.65:
            given += pick(rng, GIVEN_NAME_CHARACTERS)
        name = pick(rng, SURNAMES) + given
        if name not in names:
            names.append(name)
    return names


def team_change(rng: random.Random, inventors: list[str]) -> list[str]:
    """The same team a little later: one member left, another joined."""
    newcomer = draw_inventors(rng)[0]
    team = sample(rng, inventors, len(inventors) - 1)
    return team if newcomer in team else [*team, newcomer]


def summary_text(
    rng: random.Random,
    seller: DemoSeller,
    technology: TechnologyField,
    subject: str,
    patents: list[DemoPatent],
    measurements: list[Measurement],
    uses: list[str],
    terms: list[DemoTerms],
    maturity: str,
) -> str:
    """What the technology does and for whom, in plain words (the quality score wants 80 characters or more)."""
    words = [MODE_WORDS[offer.mode] for offer in terms]
    modes = words[0] if len(words) == 1 else f"{'、'.join(words[:-1])}或{words[-1]}"
    if patents[0].patent_type == PatentType.DESIGN:
        return (
            f"{seller.name}设计的{subject}，已获外观设计专利授权，造型简洁、辨识度高，"
            f"适合{technology.buyers}用于产品外观升级，可通过{modes}方式实施。{MATURITY_SENTENCES[maturity]}"
        )
    if len(patents) > 1:
        inventions = sum(patent.patent_type == PatentType.INVENTION for patent in patents)
        opening = f"{seller.name}围绕{subject}布局的{len(patents)}件专利（其中发明专利{inventions}件）打包提供。"
    else:
        opening = f"{seller.name}研发的{subject}技术。"
    benefit = f"{measurements[0].plain}。" if measurements else ""
    return (
        f"{opening}{benefit}适用于{'、'.join(uses)}等场景，{technology.buyers}可通过{modes}方式实施。"
        f"{MATURITY_SENTENCES[maturity]}"
    )


def comparison_text(rng: random.Random, measurements: list[Measurement], lead_topic: Topic | None) -> str:
    if lead_topic is None:
        return "外观造型区别于市场同类产品，可提升产品辨识度和品牌形象。"
    if not measurements:
        return ""
    return "；".join(measurement.comparison for measurement in measurements) + "。" + pick(rng, COMPARISON_EXTRAS)


def listing_title(rng: random.Random, patents: list[DemoPatent], lead_topic: Topic | None) -> str:
    if lead_topic is None:
        return f"{patents[0].title}外观设计专利"
    subject = lead_topic.subject
    if len(patents) > 1:
        return pick(rng, (f"{subject}等{len(patents)}件专利（专利包）", f"{subject}相关专利组合（{len(patents)}件）"))
    if rng.random() < 0.6:
        return patents[0].title
    return subject + pick(rng, LISTING_TITLE_SUFFIXES.get(lead_topic.kind, ("专利技术",)))
