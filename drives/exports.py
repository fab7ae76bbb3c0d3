"""A drive's funnel as a workbook (XLSX): the headline, the table per listing and the table per firm, read from
the same selector as the drive's page, with the definitions of each stage."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from drives.selectors import Funnel, FunnelRow


def stage_titles() -> list[str]:
    return [_("Sent"), _("Opened"), _("Enquiries"), _("Negotiations"), _("Deals")]


def stage_definitions() -> list[tuple[str, str]]:
    return [
        (_("Sent"), _("The firm's digest went out: in its workspace, by mail, and live if someone was online.")),
        (_("Opened"), _("Someone of the firm opened the digest, in the workspace or through the mail's link.")),
        (_("Enquiries"), _("The firm enquired on the listing after receiving it: a negotiation room was opened.")),
        (_("Negotiations"), _("Terms were proposed in that room: a term sheet was put on the table.")),
        (_("Deals"), _("Both sides accepted terms there and a deal was made (not counting cancelled deals).")),
    ]


def _table(sheet, header: list[str], rows: list[FunnelRow]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append([row.key, row.label, *(count for _stage, count in row.stages())])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 48
    sheet.freeze_panes = "A2"


def funnel_xlsx(funnel: Funnel) -> bytes:
    drive = funnel.drive
    workbook = Workbook()
    headline = workbook.active
    headline.title = _("Funnel")
    headline.append([_("Stage"), _("Firms"), _("Listings sent to firms")])
    for title, (_stage, firms), (_same, pairs) in zip(
        stage_titles(), funnel.firms.stages(), funnel.pairs.stages(), strict=True
    ):
        headline.append([title, firms, pairs])
    for cell in headline[1]:
        cell.font = Font(bold=True)
    headline.column_dimensions["A"].width = 20
    headline.column_dimensions["C"].width = 24
    _table(
        workbook.create_sheet(_("By listing")),
        [_("Listing ID"), _("Listing"), *[_("%(stage)s (firms)") % {"stage": t} for t in stage_titles()]],
        funnel.by_listing,
    )
    _table(
        workbook.create_sheet(_("By firm")),
        [_("Organisation ID"), _("Firm"), *[_("%(stage)s (listings)") % {"stage": t} for t in stage_titles()]],
        funnel.by_firm,
    )
    about = workbook.create_sheet(_("About"))
    about.append([_("Drive"), drive.title])
    about.append([_("Operation centre"), drive.centre.local_name])
    about.append([_("Sent at"), timezone.localtime(drive.sent_at).strftime("%Y-%m-%d %H:%M") if drive.sent_at else ""])
    about.append([_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    for line in stage_definitions():
        about.append(list(line))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
