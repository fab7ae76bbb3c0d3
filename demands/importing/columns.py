"""The columns of a demand survey, its template, and how its cells are read (field, deals, budget, city)."""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from demands.models import ContactPolicy, DealKind
from listings.patents.ipc import IPC_SECTIONS
from marketplace.core.cities import City
from marketplace.core.spreadsheet_import import OPTIONAL, REQUIRED, Column, ColumnSet, normalise_name
from marketplace.core.spreadsheet_import.cells import choice_parser, parse_decimal, vocabulary
from marketplace.core.spreadsheet_import.template import template_csv, template_xlsx
from marketplace.organisations.credit_code import compute_check_character

# --- The columns --------------------------------------------------------------------------------------------

_COLUMNS = (
    Column(
        "credit_code",
        "统一社会信用代码",
        OPTIONAL,
        ("信用代码", "社会信用代码", "统一信用代码"),
        _("The organisation's unified social credit code (18 characters). This or its name is required."),
    ),
    Column(
        "organisation",
        "单位名称",
        OPTIONAL,
        ("企业名称", "组织名称", "机构名称", "需求单位", "需求方", "organisation name"),
        _("The organisation's registered name, exactly as on the platform. This or its credit code is required."),
    ),
    Column(
        "title",
        "需求名称",
        REQUIRED,
        ("需求标题", "标题", "名称"),
        _("What is needed, in one line (at most 200 characters)."),
    ),
    Column(
        "description",
        "需求描述",
        REQUIRED,
        ("需求内容", "需求详情", "描述"),
        _("The product, the problem and what a solution must achieve, in the firm's own words."),
    ),
    Column(
        "field",
        "技术领域",
        REQUIRED,
        ("领域", "所属领域"),
        _("The IPC section: its letter (A to H) or its title, e.g. H or 电学."),
    ),
    Column(
        "ipc_codes",
        "IPC分类",
        OPTIONAL,
        ("IPC", "IPC分类号", "分类号"),
        _("Optional, separated by ;: a subclass such as H01M is enough, or a full code."),
    ),
    Column(
        "deal_kinds",
        "合作方式",
        REQUIRED,
        ("合作模式", "交易方式"),
        _("许可, 转让, 入股 or 合作开发 (licence, transfer, equity, joint development), several separated by ; or ,."),
    ),
    Column(
        "budget_min_10k_yuan",
        "预算下限（万元）",
        OPTIONAL,
        ("预算下限", "最低预算"),
        _("In units of 10,000 yuan (万元), e.g. 50. Leave both budget columns empty (or write 面议) if open."),
    ),
    Column(
        "budget_max_10k_yuan",
        "预算上限（万元）",
        OPTIONAL,
        ("预算上限", "最高预算"),
        _("In units of 10,000 yuan (万元), e.g. 200; not below the lower end."),
    ),
    Column(
        "city",
        "所在地区",
        REQUIRED,
        ("地区", "所在城市", "城市", "地市"),
        _("The city in Zhejiang, e.g. 宁波 or 宁波市."),
    ),
    Column(
        "deadline",
        "截止日期",
        REQUIRED,
        ("截止时间", "有效期至"),
        _("The last day the demand stays open, YYYY-MM-DD, in the future."),
    ),
    Column(
        "contact_policy",
        "联系方式",
        OPTIONAL,
        ("联系方式（公开/经纪人）",),
        _("公开 (holders contact the organisation) or 经纪人 (through a broker of the centre). Empty: 公开."),
    ),
    Column(
        "title_en",
        "英文名称",
        OPTIONAL,
        ("英文标题", "English title"),
        _("The title in English, written by the organisation (at most 200 characters). Optional."),
    ),
    Column(
        "summary_en",
        "英文简介",
        OPTIONAL,
        ("English summary",),
        _("A summary in English, written by the organisation. Optional."),
    ),
)
COLUMNS = ColumnSet(_COLUMNS, example=_COLUMNS[2])  # “such as 需求名称 or title”
ORGANISATION_COLUMNS = ("credit_code", "organisation")

# The form's fields -> the column each comes from, to name the column when the form or a service refuses a value.
FORM_FIELD_COLUMNS = {
    "title": "title",
    "description": "description",
    "title_en": "title_en",
    "summary_en": "summary_en",
    "field": "field",
    "ipc_codes": "ipc_codes",
    "deal_kinds": "deal_kinds",
    "budget_min_fen": "budget_min_10k_yuan",
    "budget_max_fen": "budget_max_10k_yuan",
    "city": "city",
    "deadline": "deadline",
    "contact_policy": "contact_policy",
    "organisation": "organisation",
}

EXAMPLE_CODE_FIRST17 = "91330201MA2H8QK5X"  # an invented firm in Ningbo (330201), with its computed check character
EXAMPLE_ROW: dict[str, Any] = {
    "credit_code": f"{EXAMPLE_CODE_FIRST17}{compute_check_character(EXAMPLE_CODE_FIRST17)}",
    "organisation": "宁波甬新材料科技有限公司",
    "title": "寻求高镍正极材料包覆改性技术",
    "description": "我司生产动力电池，高镍正极循环寿命不足，希望找到可量产的包覆改性技术，"
    "循环1000次容量保持率90%以上，单吨成本增加不超过5%。",
    "field": "H 电学",
    "ipc_codes": "H01M; H01M 4/525",
    "deal_kinds": "许可；合作开发",
    "budget_min_10k_yuan": Decimal("50"),
    "budget_max_10k_yuan": Decimal("200"),
    "city": "宁波",
    "contact_policy": "经纪人",
    "title_en": "Coating technology for high-nickel cathode materials",
    "summary_en": "A battery maker needs a coating for high-nickel cathodes that keeps 90% of capacity after 1,000 "
    "cycles and can be produced at scale.",
}


def _example() -> dict[str, Any]:
    """The example row, with a deadline half a year ahead of the day the template is downloaded."""
    return {**EXAMPLE_ROW, "deadline": timezone.localdate() + timedelta(days=182)}


def survey_template_csv() -> bytes:
    return template_csv(COLUMNS, _example())


def survey_template_xlsx() -> bytes:
    return template_xlsx(
        COLUMNS,
        _example(),
        sheet_title=gettext("Demands"),
        wide=("title", "description", "title_en", "summary_en"),
        text=("credit_code",),
    )


# --- Reading the cells --------------------------------------------------------------------------------------

LIST_SEPARATORS = re.compile(r"[;；,，、/]")
NEGOTIABLE = {"面议", "议价", "negotiable", "不限"}
TEN_THOUSAND = Decimal(10_000)


@dataclass(frozen=True)
class Vocabulary:
    fields: dict[str, str]
    deal_kinds: dict[str, str]
    cities: dict[str, str]
    contact_policies: dict[str, str]

    @classmethod
    def build(cls) -> "Vocabulary":
        fields: dict[str, str] = {}
        for letter, titles in IPC_SECTIONS.items():
            for name in (letter, *titles, *(f"{letter} {title}" for title in titles)):
                fields[normalise_name(name)] = letter
                fields[normalise_name(name.replace(" ", ""))] = letter
                fields[normalise_name(name.replace(" ", " · "))] = letter
        with translation.override("zh-hans"):
            city_extra = {f"{label}市": code for code, label in City.choices}
        return cls(
            fields=fields,
            deal_kinds=vocabulary(
                DealKind,
                {
                    "许可": DealKind.LICENCE,
                    "专利许可": DealKind.LICENCE,
                    "许可使用": DealKind.LICENCE,
                    "转让": DealKind.TRANSFER,
                    "专利转让": DealKind.TRANSFER,
                    "入股": DealKind.EQUITY,
                    "作价入股": DealKind.EQUITY,
                    "作价投资": DealKind.EQUITY,
                    "合作开发": DealKind.JOINT_DEVELOPMENT,
                    "联合开发": DealKind.JOINT_DEVELOPMENT,
                    "合作研发": DealKind.JOINT_DEVELOPMENT,
                    "产学研合作": DealKind.JOINT_DEVELOPMENT,
                    "equity": DealKind.EQUITY,
                },
            ),
            cities=vocabulary(City, city_extra),
            contact_policies=vocabulary(
                ContactPolicy,
                {
                    "公开": ContactPolicy.OPEN,
                    "直接联系": ContactPolicy.OPEN,
                    "经纪人": ContactPolicy.BROKER,
                    "通过经纪人": ContactPolicy.BROKER,
                    "经纪人联系": ContactPolicy.BROKER,
                    "broker": ContactPolicy.BROKER,
                },
            ),
        )


def parse_10k_yuan(text: str) -> int | None:
    """An amount in 万元 (up to 6 decimals, the fen) -> integer fen; 面议 -> None (open to offers)."""
    if normalise_name(text) in NEGOTIABLE:
        return None
    amount = parse_decimal(text, unit_marks="¥万元", decimals=6)
    return int(amount * TEN_THOUSAND * 100)


def deal_kinds_of(text: str, vocabulary: Vocabulary) -> list[str]:
    expected = "许可, 转让, 入股, 合作开发 (licence, transfer, equity, joint_development)"
    parse = choice_parser(vocabulary.deal_kinds, expected)
    chosen = {parse(part.strip()) for part in LIST_SEPARATORS.split(text) if part.strip()}
    return [kind for kind in DealKind.values if kind in chosen]
