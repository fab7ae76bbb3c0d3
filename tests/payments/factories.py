"""Payments built the way the centres' staff make them, through the payments services."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from payments.services import bank_transfer_record

RECEIPT = b"%PDF-1.7\n%receipt\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def receipt(name: str = "回单.pdf", content: bytes = RECEIPT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def transfer_recorded(deal, broker, reference: str):
    """A broker records the full amount of the deal's first instalment as arrived by bank transfer, with its
    receipt: the payment awaits a second staff member's confirmation."""
    instalment = deal.instalments.order_by("pk").first()
    return bank_transfer_record(
        instalment=instalment,
        actor=broker,
        payer=deal.buyer.name,
        amount_fen=instalment.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference=reference,
        evidence=receipt("回单 2026-05.pdf"),
    )
