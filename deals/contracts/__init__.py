"""The contract a deal's parties confirm, generated from the accepted term sheet.

`build_contract` (`sections`) is a pure function of the deal and the rows it is given; the HTML page and the PDF
(`pdf`) render the same sections, so what a party reads on screen is what it downloads and prints. The text is built
in the active language; names, numbers and amounts stay as recorded (amounts also in the capital numerals of Chinese
contracts).
"""

from deals.contracts.pdf import render_contract_pdf
from deals.contracts.sections import (
    Contract,
    Row,
    Section,
    accepted_terms,
    build_contract,
    build_contract_versions,
    contract_reference,
    contract_total_fen,
)

__all__ = [
    "Contract",
    "Row",
    "Section",
    "accepted_terms",
    "build_contract",
    "build_contract_versions",
    "contract_reference",
    "contract_total_fen",
    "render_contract_pdf",
]
