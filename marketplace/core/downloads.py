"""Serving an uploaded file after its view has checked who may have it.

Nothing serves MEDIA_ROOT directly: listing attachments and bank receipts sit at guessable paths, so every file
goes out through a view that first finds it through a selector of the person asking (and answers 404 when they
may not have it), then through `protected_file_response`.
"""

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from marketplace.core.uploads import EXTENSIONS

# Uploads are stored under the extension of their sniffed content (marketplace.core.uploads): the extension,
# never the uploader's claim, decides the type. Anything else goes out as an opaque download.
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()} | {"jpeg": "image/jpeg"}
OPAQUE = "application/octet-stream"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def content_type_of(stored_name: str) -> str:
    return CONTENT_TYPES.get(PurePath(stored_name).suffix.lower().lstrip("."), OPAQUE)


def safe_filename(name: str, stored_name: str) -> str:
    """The name a browser should save the file under: the uploader's stem, without path parts, control
    characters or quotes, and the stored extension (so "x.html" that was really a PDF is saved as "x.pdf")."""
    stem = PurePath(unicodedata.normalize("NFC", name).replace("\\", "/")).stem
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or "file"
    suffix = PurePath(stored_name).suffix.lower()
    return f"{stem}{suffix}"


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """RFC 6266 with an ASCII fallback and the UTF-8 name in RFC 5987 form, for Chinese file names."""
    disposition = "attachment" if as_attachment else "inline"
    path = PurePath(filename)
    fallback = (path.stem.encode("ascii", "ignore").decode().strip(" ._") or "file") + path.suffix
    header = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def protected_file_response(file: FieldFile, *, filename: str) -> FileResponse:
    """The file, typed by its stored extension; images shown inline, anything else downloaded; never sniffed,
    never cached by a shared cache. A file missing from storage is a 404, like a file one may not see."""
    stored_name = file.name or ""
    content_type = content_type_of(stored_name)
    try:
        handle = file.storage.open(stored_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    as_attachment = not content_type.startswith("image/")
    name = safe_filename(filename, stored_name)
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=name)
    response["Content-Disposition"] = content_disposition(name, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    # Even a file opened in its own tab runs nothing and reaches nothing (an image with a script inside).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
