"""A trusted time on the platform's contract signature: with a timestamp authority configured, the signed contract
carries its RFC 3161 token (PAdES B-T), which pyHanko validates against the authority's certificate; while the
authority is down nothing is signed without it, and the periodic sweep seals the contract once it answers.

The authority here is a real RFC 3161 responder over HTTP on a local port (pyHanko's own signing code for tokens
behind http.server), so the platform's client speaks the protocol as it would to a commercial authority."""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO, StringIO

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import call_command
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from deals.contracts.signing import platform_certificate
from deals.models import Deal
from deals.selectors import signed_contract_of
from deals.tasks import seal_unsealed_contracts
from tests.deals.factories import LICENCE_TERMS, deal_signed

pytestmark = pytest.mark.django_db


def authority_certificate() -> tuple[asn1_x509.Certificate, keys.PrivateKeyInfo]:
    """A timestamp authority's self-signed certificate, with the critical time-stamping key purpose RFC 3161
    requires of a TSA's certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Timestamp Authority")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)), keys.PrivateKeyInfo.load(
        der_key
    )


class TimestampAuthority:
    def __init__(self):
        certificate, key = authority_certificate()
        self.certificate = certificate
        self.stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key)
        self.requests = 0
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                authority.requests += 1
                reply = authority.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsa"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_address() -> str:
    """An address where nothing listens (a port that was just free)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()
    return f"http://127.0.0.1:{port}/tsa"


def validated(pdf: bytes, authority: TimestampAuthority):
    """pyHanko's verdict on the contract's one signature, trusting the platform's and the authority's certificates."""
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(
        signature,
        ValidationContext(trust_roots=[platform_certificate()]),
        ts_validation_context=ValidationContext(trust_roots=[authority.certificate]),
    )


def test_with_an_authority_the_signed_contract_carries_a_timestamp_that_pyhanko_validates(world, on_market, settings):
    with TimestampAuthority() as authority:
        settings.CONTRACT_SIGNING_TSA_URL = authority.url
        deal = deal_signed(world, on_market, terms=LICENCE_TERMS)

    status = validated(bytes(signed_contract_of(deal).pdf), authority)
    assert authority.requests > 0
    assert status.bottom_line and status.intact
    assert status.timestamp_validity is not None and status.timestamp_validity.valid
    assert status.timestamp_validity.trusted
    # The authority vouches for a time within the seal's moment, not the platform's claim alone.
    assert abs(status.timestamp_validity.timestamp - deal.seller_signed_at) < timedelta(minutes=5)


def test_while_the_authority_is_down_nothing_is_signed_and_the_sweep_seals_it_once_it_answers(
    world, on_market, settings
):
    settings.CONTRACT_SIGNING_TSA_URL = free_address()
    settings.CONTRACT_SIGNING_TSA_TIMEOUT = 2.0
    deal = deal_signed(world, on_market, terms=LICENCE_TERMS)
    assert signed_contract_of(deal) is None
    # Both signatures stand; only the platform's seal waits.
    deal.refresh_from_db()
    assert deal.buyer_signed_at and deal.seller_signed_at

    # The sweep leaves a contract signed moments ago to its own task...
    assert seal_unsealed_contracts.enqueue().return_value == 0
    earlier = timezone.now() - timedelta(minutes=10)
    Deal.objects.filter(pk=deal.pk).update(buyer_signed_at=earlier, seller_signed_at=earlier)
    # ...and while the authority is still down it seals nothing and fails nothing.
    assert seal_unsealed_contracts.enqueue().return_value == 0
    assert signed_contract_of(deal) is None

    with TimestampAuthority() as authority:
        settings.CONTRACT_SIGNING_TSA_URL = authority.url
        assert seal_unsealed_contracts.enqueue().return_value == 1
        requests_for_one_seal = authority.requests
        # A sealed contract is not sealed again: the authority is not even asked.
        assert seal_unsealed_contracts.enqueue().return_value == 0
        assert authority.requests == requests_for_one_seal
    sealed = signed_contract_of(deal)
    assert sealed is not None
    assert validated(bytes(sealed.pdf), authority).timestamp_validity.valid


def test_the_deployment_check_warns_of_a_missing_signing_certificate_and_a_missing_authority(settings, tmp_path):
    from deals.checks import contract_signing_is_configured

    settings.CONTRACT_SIGNING_SELF_SIGNED = False
    settings.CONTRACT_SIGNING_PKCS12 = ""
    settings.CONTRACT_SIGNING_TSA_URL = ""
    assert {message.id for message in contract_signing_is_configured(None)} == {"deals.W001", "deals.I001"}

    settings.CONTRACT_SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    assert "deals.W002" in {message.id for message in contract_signing_is_configured(None)}

    call_command("contract_signing_certificate", tmp_path / "platform.p12", stdout=StringIO())
    settings.CONTRACT_SIGNING_PKCS12 = str(tmp_path / "platform.p12")
    settings.CONTRACT_SIGNING_TSA_URL = "https://tsa.example.com/"
    assert contract_signing_is_configured(None) == []
