"""The final contract as a lawyer and a PDF reader see it: numbered articles in Chinese and in English, and the
platform's PAdES signature, which pyHanko's validator finds intact over an unmodified file and broken by a single
changed byte, with each party's signatory and signing time inside."""

from io import BytesIO

import pypdf
import pytest
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from deals.contracts import build_contract_versions
from deals.contracts.signing import platform_certificate
from deals.selectors import deal_patents, signed_contract_of
from deals.services.contracts import contract_seal
from deals.tasks import seal_contract
from tests.deals.factories import LICENCE_TERMS, ORDINARY_LICENCE_TERMS, deal_agreed, deal_signed
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

ARBITRATION_TERMS = {
    **LICENCE_TERMS,
    "payment_mode": "royalty",
    "royalty_rate": "3.5",
    "royalty_base": "sales",
    "royalty_period": "half_yearly",
    "minimum_annual_royalty_fen": 2_000_000,
    "dispute_resolution": "arbitration",
    "arbitration_commission": "杭州仲裁委员会",
}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)


def platform_signature(pdf: bytes):
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    return signature


def validate(pdf: bytes):
    context = ValidationContext(trust_roots=[platform_certificate()])
    return validate_pdf_signature(platform_signature(pdf), context)


@pytest.fixture
def signed(world, on_market):
    world.university.address = "浙江省宁波市江北区风华路818号"
    world.university.save(update_fields=["address"])
    return deal_signed(world, on_market, terms=ARBITRATION_TERMS)


def test_the_signed_contract_holds_every_article_heading_in_chinese_and_in_english(signed):
    text = pdf_text(bytes(signed_contract_of(signed).pdf))
    chinese, english = build_contract_versions(deal=signed, patents=deal_patents(signed))
    headings = [section.heading for section in (*chinese.sections, *english.sections)]
    assert len(chinese.sections) == len(english.sections) == 17
    for heading in headings:
        assert heading in text, heading
    for expected in (
        "第一条 合同当事人",
        "第十三条 争议解决",
        "第十七条 签署",
        "Article 1 Parties",
        "Article 7 Platform service fee",
        "Article 13 Dispute resolution",
        "Article 14 Governing law",
        "浙江省宁波市江北区风华路818号",
        signed.seller.credit_code,
        signed.buyer.credit_code,
        "杭州仲裁委员会",
        "许可产品的销售额",
        "半年度",
        "the sales revenue of the products made under the licence",
        "half calendar year",
        "the Chinese text prevails",
    ):
        assert expected in text, expected
    assert "Draft" not in text and "草稿" not in text


def test_pyhanko_finds_the_platform_signature_intact_trusted_and_covering_the_unmodified_file(signed):
    pdf = bytes(signed_contract_of(signed).pdf)
    status = validate(pdf)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok and status.modification_level.name == "NONE"
    assert status.signing_cert.subject == platform_certificate().subject


def test_each_partys_signatory_and_signing_time_are_recorded_inside_the_signature(signed):
    signature = platform_signature(bytes(signed_contract_of(signed).pdf))
    reason = str(signature.sig_object["/Reason"])
    for organisation, person, moment in (
        (signed.seller, signed.seller_signed_by, signed.seller_signed_at),
        (signed.buyer, signed.buyer_signed_by, signed.buyer_signed_at),
    ):
        assert organisation.name in reason and organisation.credit_code in reason
        assert str(person) in reason
        assert timezone.localtime(moment).isoformat(timespec="seconds") in reason
    assert "甲方" in reason and "Party B" in reason
    # And in the text every reader sees: the signature article names them with the time.
    text = pdf_text(bytes(signed_contract_of(signed).pdf))
    assert (
        str(signed.seller_signed_by) in text
        and timezone.localtime(signed.buyer_signed_at).strftime("%Y-%m-%d %H:%M") in text
    )


def test_changing_one_byte_of_the_signed_file_makes_the_signature_fail(signed):
    pdf = bytearray(signed_contract_of(signed).pdf)
    signature = platform_signature(bytes(pdf))
    start, length = signature.byte_range[0], signature.byte_range[1]
    # A letter of the document's own text, inside the first signed range, so the file still parses.
    position = pdf.index(b"ReportLab", start, start + length)
    pdf[position] = ord("X")
    status = validate(bytes(pdf))
    assert not status.intact and not status.bottom_line


def test_the_download_is_the_signed_file_and_before_both_sign_a_draft_without_signature(world, on_market, client):
    agreed = deal_agreed(world, on_market, terms=ORDINARY_LICENCE_TERMS)
    sign_in(client, world.buyer)
    draft = client.get(f"/deals/{agreed.pk}/contract.pdf").content
    assert PdfFileReader(BytesIO(draft)).embedded_signatures == []
    text = pdf_text(draft)
    assert "草稿：双方尚未全部签署。" in text and "Article 1 Parties" in text and "第一条 合同当事人" in text
    assert signed_contract_of(agreed) is None

    deal = deal_signed(world, on_market, terms=LICENCE_TERMS)
    download = client.get(f"/deals/{deal.pk}/contract.pdf").content
    assert download == bytes(signed_contract_of(deal).pdf)
    assert validate(download).bottom_line


def test_sealing_again_changes_nothing(signed):
    first = signed_contract_of(signed)
    assert contract_seal(deal=signed).pk == first.pk
    assert seal_contract.enqueue(deal_id=signed.pk).return_value == first.sha256
    assert bytes(signed_contract_of(signed).pdf) == bytes(first.pdf)
