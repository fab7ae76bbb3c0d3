"""The one check of an uploaded document (a listing's attachment, a bank receipt): its size, what it is, and the
name it is stored under.

What a file is, its first bytes decide, never its name or the browser's claim; it is stored under the extension
of what it is (marketplace.core.downloads serves it by that extension), so a PDF-headed HTML page uploaded as
"x.html" is stored and served as a PDF.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    stored_name: str


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def stored_name(name: str, content_type: str) -> str:
    """The upload's own stem with the extension of what its content is."""
    stem = PurePath(name).stem[:100] or "file"
    return f"{stem}.{EXTENSIONS[content_type]}"


def upload_check(upload: UploadedFile, *, max_bytes: int = MAX_UPLOAD_BYTES) -> CheckedUpload:
    """What the upload is and the name to store it under; a ValidationError if it is too big or not a PDF or an
    image. Leaves the file at its start, ready to be saved."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": upload.name, "size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576},
            code="upload_too_large",
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, PNG, JPEG or WebP file (judged by its content, not its name).")
            % {"name": upload.name},
            code="upload_not_a_document",
        )
    return CheckedUpload(content_type=content_type, stored_name=stored_name(upload.name, content_type))
