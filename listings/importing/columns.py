"""The columns of a listing import file, and the counts of an import. Rows, problems and the column machinery
are every import's (marketplace.core.spreadsheet_import.columns)."""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy

from marketplace.core.spreadsheet_import.columns import (
    OPTIONAL,
    REQUIRED,
    Column,
    ColumnSet,
    ImportRejected,
    RowError,
    SourceRow,
    normalise_name,
    rejected,
)

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "COLUMN_ORDER",
    "Column",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "SourceRow",
    "normalise_name",
    "rejected",
]

_COLUMNS: tuple[Column, ...] = (
    Column("application_number", "申请号", REQUIRED, ("专利号", "申请号/专利号")),
    Column("patent_type", "专利类型", REQUIRED, ("类型",)),
    Column("title", "名称", REQUIRED, ("标题", "专利名称", "发明名称")),
    Column("abstract", "摘要", OPTIONAL),
    Column("first_claim", "首项权利要求", OPTIONAL, ("主权项", "权利要求1")),
    Column("ipc_codes", "IPC分类号", REQUIRED, ("IPC", "分类号")),
    Column("filing_date", "申请日", REQUIRED),
    Column("publication_date", "公开日", OPTIONAL, ("公开（公告）日", "公告日")),
    Column("grant_date", "授权日", OPTIONAL, ("授权公告日",)),
    Column("legal_status", "法律状态", REQUIRED),
    Column("applicants", "申请人", OPTIONAL, ("专利权人", "申请（专利权）人")),
    Column("inventors", "发明人", OPTIONAL, ("设计人", "发明（设计）人")),
    Column("summary", "通俗简介", REQUIRED, ("简介", "技术简介")),
    Column("title_en", "英文名称", OPTIONAL, ("英文标题", "English title")),
    Column("summary_en", "英文简介", OPTIONAL, ("English summary",)),
    Column("maturity", "技术成熟度", OPTIONAL, ("成熟度",)),
    Column("application_fields", "应用领域", OPTIONAL),
    Column("licence_types", "许可方式", OPTIONAL, ("许可类型",)),
    Column("territory", "许可地域", OPTIONAL, ("地域",)),
    Column("field_of_use", "许可使用领域", OPTIONAL, ("使用领域",)),
    Column("licence_term_years", "许可期限（年）", OPTIONAL, ("许可期限", "许可年限")),
    Column("upfront_fee_yuan", "入门费（元）", OPTIONAL, ("入门费",)),
    Column("royalty_rate_percent", "提成比例（%）", OPTIONAL, ("提成比例", "提成率")),
    Column("transfer_price_yuan", "转让价格（元）", OPTIONAL, ("转让价格", "转让价")),
    Column("equity_value_yuan", "作价金额（元）", OPTIONAL, ("作价金额", "作价入股金额")),
    Column("asking_price_yuan", "挂牌价格（元）", OPTIONAL, ("挂牌价格", "挂牌价")),
)
COLUMN_HELP = {
    "application_number": gettext_lazy("Chinese application number, e.g. 201910532817.6; a CN or ZL prefix is fine."),
    "patent_type": gettext_lazy("invention, utility_model or design (发明, 实用新型, 外观设计)."),
    "title": gettext_lazy("The patent's title, also used as the listing title (at most 200 characters)."),
    "abstract": gettext_lazy("The abstract as published."),
    "first_claim": gettext_lazy("Claim 1 as published."),
    "ipc_codes": gettext_lazy("IPC codes separated by ; or , with the main one first, e.g. H01M 4/525; H01M 10/0525."),
    "filing_date": gettext_lazy("YYYY-MM-DD (or YYYY/MM/DD, or a date cell); its year is the one in the number."),
    "publication_date": gettext_lazy("YYYY-MM-DD, if published."),
    "grant_date": gettext_lazy("YYYY-MM-DD, if granted."),
    "legal_status": gettext_lazy(
        "granted (授权 or 有效), published (公开) or examination (实质审查). "
        "Lapsed, withdrawn or rejected patents cannot be listed."
    ),
    "applicants": gettext_lazy("Applicants or patent holders, separated by ;."),
    "inventors": gettext_lazy("Inventors, separated by ;."),
    "summary": gettext_lazy("What the technology does and for whom, in plain words for a reader who is no expert."),
    "title_en": gettext_lazy("The listing's title in English, written by you (at most 200 characters). Optional."),
    "summary_en": gettext_lazy("The plain-language summary in English, written by you. Optional."),
    "maturity": gettext_lazy(
        "concept, lab, pilot, small_batch or mass_production (概念验证, 实验室, 中试, 小批量, 量产)."
    ),
    "application_fields": gettext_lazy("Industries and products it serves."),
    "licence_types": gettext_lazy("exclusive, sole or ordinary (独占, 排他, 普通), separated by ;. Empty: no licence."),
    "territory": gettext_lazy("Where the licence applies, e.g. 中国大陆."),
    "field_of_use": gettext_lazy("The field the licence is limited to."),
    "licence_term_years": gettext_lazy("Licence term in whole years (1 to 30)."),
    "upfront_fee_yuan": gettext_lazy("Licence upfront fee in yuan, at most 2 decimals."),
    "royalty_rate_percent": gettext_lazy("Royalty rate in percent of sales (0 to 100, at most 2 decimals)."),
    "transfer_price_yuan": gettext_lazy("Transfer price in yuan; 面议 if negotiable. Empty: no transfer offered."),
    "equity_value_yuan": gettext_lazy("Appraised value for an equity contribution in yuan; 面议 if negotiable."),
    "asking_price_yuan": gettext_lazy("The listing's asking price in yuan. Empty: price negotiable."),
}
COLUMNS = ColumnSet(tuple(replace(column, help=COLUMN_HELP[column.key]) for column in _COLUMNS), example=_COLUMNS[0])
COLUMNS_BY_KEY = COLUMNS.by_key
COLUMN_ORDER = COLUMNS.order

# Which column a model field comes from, to name the column when a model-level check or a conflict is reported.
PATENT_FIELD_COLUMNS = {
    "application_number": "application_number",
    "is_pct": "application_number",
    "patent_type": "patent_type",
    "title": "title",
    "abstract": "abstract",
    "first_claim": "first_claim",
    "ipc_codes": "ipc_codes",
    "main_ipc": "ipc_codes",
    "ipc_section": "ipc_codes",
    "ipc_class": "ipc_codes",
    "filing_date": "filing_date",
    "expiry_date": "filing_date",
    "publication_date": "publication_date",
    "grant_date": "grant_date",
    "legal_status": "legal_status",
    "applicant_names": "applicants",
    "inventors": "inventors",
}
LISTING_FIELD_COLUMNS = {
    "title": "title",
    "summary": "summary",
    "title_en": "title_en",
    "summary_en": "summary_en",
    "maturity": "maturity",
    "application_fields": "application_fields",
    "asking_price_fen": "asking_price_yuan",
}
TERMS_FIELD_COLUMNS = {
    "licence_types": "licence_types",
    "territory": "territory",
    "field_of_use": "field_of_use",
    "term_years": "licence_term_years",
    "upfront_fee_fen": "upfront_fee_yuan",
    "royalty_rate": "royalty_rate_percent",
    "price_fen": "transfer_price_yuan",
    "appraised_value_fen": "equity_value_yuan",
}
LICENCE_COLUMNS = ("territory", "field_of_use", "licence_term_years", "upfront_fee_yuan", "royalty_rate_percent")


# --- Results and errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int = 0  # rows that created a draft listing
    updated: int = 0  # rows that changed an existing listing or patent
    unchanged: int = 0  # rows whose listing and patent already said exactly this
    patents_created: int = 0
    patents_updated: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged
