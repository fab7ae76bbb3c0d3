"""The contract as an A4 PDF (reportlab), article by article as the HTML page shows it: the Chinese text, which
prevails, and after it the English translation, each wrapped as its language wants."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from deals.contracts.sections import Contract

# Adobe's CJK font that every PDF reader ships: Chinese renders without embedding or downloading a font file.
CJK_FONT = "STSong-Light"


def _register_cjk_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _text(value: str) -> str:
    """Paragraph reads a small markup language: names such as "A&B <Ltd>" must be escaped."""
    return escape(value).replace("\n", "<br/>")


def _styles(language: str) -> dict[str, ParagraphStyle]:
    # CJK wrapping breaks between any two characters, which Chinese needs and English text does not want.
    wrap = "CJK" if language.startswith("zh") else None
    body = ParagraphStyle(f"body-{language}", fontName=CJK_FONT, fontSize=10.5, leading=16, wordWrap=wrap, spaceAfter=4)
    return {
        "body": body,
        "label": ParagraphStyle("label", parent=body, textColor=colors.HexColor("#56606e"), spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, spaceAfter=0),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=6),
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=1, spaceAfter=4),
        "reference": ParagraphStyle("reference", parent=body, alignment=1, textColor=colors.HexColor("#56606e")),
        "notice": ParagraphStyle("notice", parent=body, alignment=1, textColor=colors.HexColor("#a3402b")),
    }


def _story(contract: Contract, width: float, *, notice: str) -> list:
    """One language's text: title, number, a notice under them (draft, or translation), then every article."""
    styles = _styles(contract.language)
    label_width = 52 * mm
    story: list = [
        Paragraph(_text(contract.title), styles["title"]),
        Paragraph(
            _text(gettext("Contract no. %(reference)s") % {"reference": contract.reference}), styles["reference"]
        ),
    ]
    if notice:
        story.append(Paragraph(_text(notice), styles["notice"]))
    story.append(Spacer(1, 6 * mm))
    for section in contract.sections:
        story.append(Paragraph(_text(section.heading), styles["heading"]))
        story += [Paragraph(_text(paragraph), styles["body"]) for paragraph in section.paragraphs]
        if section.rows:
            table = Table(
                [
                    [Paragraph(_text(row.label), styles["label"]), Paragraph(_text(row.value), styles["cell"])]
                    for row in section.rows
                ],
                colWidths=[label_width, width - label_width],
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
    return story


def render_contract_pdf(contract: Contract, *, translation_of: Contract | None = None, draft: bool = False) -> bytes:
    """The contract as an A4 PDF, every string in the built-in CJK font. With `translation_of`, `contract` is the
    prevailing (Chinese) text and `translation_of` its translation, printed after it from a new page. A `draft`
    says on its first page that it is not yet signed by both parties."""
    _register_cjk_font()
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
    parts = [contract] if translation_of is None else [contract, translation_of]
    story: list = []
    for index, part in enumerate(parts):
        with translation.override(part.language or None):
            notices = []
            if draft:
                notices.append(gettext("Draft: not yet signed by both parties."))
            if index > 0:
                notices.append(gettext("English translation for convenience; the Chinese text prevails."))
            if index > 0:
                story.append(PageBreak())
            story += _story(part, document.width, notice=" ".join(notices))

    footer_text = contract.reference

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT, 8)
        canvas.drawString(20 * mm, 12 * mm, footer_text)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"{doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
