"""The contract as an A4 PDF (reportlab), section by section as the HTML page shows it."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import get_language, gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from deals.contracts.sections import Contract

# Adobe's CJK font that every PDF reader ships: Chinese renders without embedding or downloading a font file.
CJK_FONT = "STSong-Light"


def _register_cjk_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _text(value: str) -> str:
    """Paragraph reads a small markup language: names such as "A&B <Ltd>" must be escaped."""
    return escape(value).replace("\n", "<br/>")


def render_contract_pdf(contract: Contract) -> bytes:
    """The contract as an A4 PDF, every string in the built-in CJK font."""
    _register_cjk_font()
    # CJK wrapping breaks between any two characters, which Chinese needs and English text does not want.
    wrap = "CJK" if (get_language() or "").startswith("zh") else None
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=10.5, leading=16, wordWrap=wrap, spaceAfter=4)
    label = ParagraphStyle("label", parent=body, textColor=colors.HexColor("#56606e"), spaceAfter=0)
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=18, spaceBefore=10, spaceAfter=6)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=1, spaceAfter=4)
    reference = ParagraphStyle("reference", parent=body, alignment=1, textColor=colors.HexColor("#56606e"))

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=contract.title,
        subject=contract.reference,
        author=gettext("Zhejiang IP Exchange"),
        creator=gettext("Zhejiang IP Exchange"),
    )
    label_width = 52 * mm
    story: list = [
        Paragraph(_text(contract.title), title),
        Paragraph(_text(gettext("Contract no. %(reference)s") % {"reference": contract.reference}), reference),
        Spacer(1, 6 * mm),
    ]
    for number, section in enumerate(contract.sections, start=1):
        story.append(Paragraph(_text(f"{number}. {section.heading}"), heading))
        story += [Paragraph(_text(paragraph), body) for paragraph in section.paragraphs]
        if section.rows:
            table = Table(
                [[Paragraph(_text(row.label), label), Paragraph(_text(row.value), cell)] for row in section.rows],
                colWidths=[label_width, document.width - label_width],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dbe3")),
                        ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ]
                )
            )
            story.append(table)

    footer_text = gettext("Contract no. %(reference)s") % {"reference": contract.reference}

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT, 8)
        canvas.drawString(20 * mm, 12 * mm, footer_text)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, gettext("Page %(page)d") % {"page": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
