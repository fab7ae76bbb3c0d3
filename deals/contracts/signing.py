"""The platform's PDF digital signature on a final contract (PAdES baseline B-B, with pyHanko).

The platform certifies the contract once both parties' signatories have signed it on the platform: a certification
signature that allows no further change, whose reason names each party's signatory and signing time, so any PDF
reader shows the document as signed by the platform and unmodified since.

The key and certificate come from settings: a PKCS#12 file (CONTRACT_SIGNING_PKCS12, with its passphrase) or a PEM
pair (CONTRACT_SIGNING_KEY and CONTRACT_SIGNING_CERT). Where none is configured and CONTRACT_SIGNING_SELF_SIGNED
allows it (development, tests, `make run`), a self-signed platform certificate is made on first use in
CONTRACT_SIGNING_DIR, under VAR_DIR: never in the repository. Production allows no such fallback.

With CONTRACT_SIGNING_TSA_URL set, the signature carries a timestamp token from that RFC 3161 timestamp authority
(PAdES baseline B-T): the signing time is then vouched for by a third party, not only claimed by the platform's
clock. A timestamp authority that does not answer raises TimestampUnavailable; nothing is signed without it.
"""

import os
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

SIGNATURE_FIELD = "Platform"
SELF_SIGNED_FILE = "platform-signing.p12"
SELF_SIGNED_YEARS = 10


def self_signed_pkcs12() -> bytes:
    """A development certificate of the platform: an RSA key and a self-signed certificate for signing documents
    (digital signature and non-repudiation), as one PKCS#12 file without a passphrase."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            cx509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Zhejiang"),
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zhejiang IP Exchange (development)"),
            cx509.NameAttribute(NameOID.COMMON_NAME, "Zhejiang IP Exchange contract signing (self-signed)"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            cx509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(b"platform", key, certificate, None, serialization.NoEncryption())


def _self_signed_path() -> Path:
    """The development certificate's file, made once. Written to a temporary name and renamed, so two processes
    starting together never read half a file (the later rename wins, and both then load the same one)."""
    directory = Path(settings.CONTRACT_SIGNING_DIR)
    path = directory / SELF_SIGNED_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = directory / f".{SELF_SIGNED_FILE}.{os.getpid()}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(self_signed_pkcs12())
        if not path.exists():
            os.replace(temporary, path)
        else:
            temporary.unlink()
    return path


@lru_cache(maxsize=1)
def platform_signer() -> signers.SimpleSigner:
    """The platform's signer, from the configured key and certificate (or the development certificate)."""
    passphrase = settings.CONTRACT_SIGNING_PASSPHRASE.encode() or None
    if settings.CONTRACT_SIGNING_PKCS12:
        signer = signers.SimpleSigner.load_pkcs12(settings.CONTRACT_SIGNING_PKCS12, passphrase=passphrase)
    elif settings.CONTRACT_SIGNING_KEY and settings.CONTRACT_SIGNING_CERT:
        signer = signers.SimpleSigner.load(
            settings.CONTRACT_SIGNING_KEY, settings.CONTRACT_SIGNING_CERT, key_passphrase=passphrase
        )
    elif settings.CONTRACT_SIGNING_SELF_SIGNED:
        signer = signers.SimpleSigner.load_pkcs12(str(_self_signed_path()))
    else:
        raise ImproperlyConfigured(
            "Contracts are signed with the platform's key: set CONTRACT_SIGNING_PKCS12 (and "
            "CONTRACT_SIGNING_PASSPHRASE) or CONTRACT_SIGNING_KEY and CONTRACT_SIGNING_CERT."
        )
    if signer is None:
        raise ImproperlyConfigured("The platform's contract-signing key or certificate could not be read.")
    return signer


class TimestampUnavailable(Exception):
    """The configured timestamp authority did not answer, or answered with an error."""


def platform_timestamper() -> RequestsHTTPTimeStamper | None:
    """The client of the configured timestamp authority, or None when no authority is configured."""
    if not settings.CONTRACT_SIGNING_TSA_URL:
        return None
    return RequestsHTTPTimeStamper(settings.CONTRACT_SIGNING_TSA_URL, timeout=settings.CONTRACT_SIGNING_TSA_TIMEOUT)


def platform_certificate() -> x509.Certificate:
    """The certificate a reader (or a test) trusts to validate the platform's signature."""
    return platform_signer().signing_cert


def sign_pdf(pdf: bytes, *, reason: str, location: str, contact_info: str, name: str) -> bytes:
    """Certify `pdf` with the platform's key: a PAdES signature over the whole file that permits no later change.
    `reason`, `location`, `contact_info` and `name` go into the signature dictionary, where readers show them."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
        contact_info=contact_info,
        name=name,
    )
    try:
        output = signers.sign_pdf(writer, metadata, signer=platform_signer(), timestamper=platform_timestamper())
    except (TimestampRequestError, OSError) as error:
        raise TimestampUnavailable(str(error)) from error
    return output.getvalue()
