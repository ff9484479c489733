"""Files people upload, judged by parsing them: never by their name, the type the browser
claims or their first bytes alone.

A picture is opened with Pillow and re-encoded, so what is stored is only the picture (no
trailing HTML or script, and no EXIF data such as a photograph's GPS location). A PDF must
parse with pypdf and have at least one page. Anything else is refused. The type found decides
the stored name and the download name (`download_name`), so a file sent as `x.html` that is
really a PDF is always saved and downloaded as a `.pdf`.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import get_valid_filename
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from lantern.core.errors import LanternError

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
# A picture larger than this (in pixels) is refused rather than decoded: a "decompression
# bomb" is a small file that unpacks to gigabytes.
MAX_PIXELS = 40_000_000


class UploadRefused(LanternError):
    """The file is too big, or is not a picture or PDF that parses."""


@dataclass(frozen=True)
class CheckedFile:
    """What is kept of an upload once it has parsed: the bytes to store and their type."""

    data: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def check_upload(upload: Any, *, max_bytes: int) -> CheckedFile:
    """Parse an uploaded picture or PDF; return what to store. Refuses (UploadRefused) a file
    over `max_bytes`, and anything that does not open as a JPEG, PNG, GIF or WebP picture or
    parse as a PDF, whatever its name says. Pictures come back re-encoded without metadata."""
    name = getattr(upload, "name", "") or "The file"
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    size = max(getattr(upload, "size", 0) or 0, len(data))
    if size > max_bytes:
        raise UploadRefused(
            f"{name} is {size // 1024} KB: a file must be smaller than "
            f"{max_bytes // (1024 * 1024)} MB"
        )
    refused = UploadRefused(
        f"{name} could not be opened as a photo, screenshot or PDF: choose a JPEG, PNG, GIF, "
        "WebP or PDF file"
    )
    if data.startswith(b"%PDF-"):
        if not _parses_as_pdf(data):
            raise refused
        return CheckedFile(data=data, content_type="application/pdf")
    image = _re_encoded_image(data)
    if image is None:
        raise refused
    return image


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored upload downloads under: the sender's name without its extension,
    made safe, with the extension of the type found (never the one it was sent with)."""
    stem = Path(original_name or "").stem
    stem = get_valid_filename(stem)[:100] if stem.strip(" ._") else ""
    return f"{stem or 'attachment'}.{EXTENSIONS.get(content_type, 'bin')}"


def _parses_as_pdf(data: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return False
    except RecursionError:  # a deliberately self-referencing file
        return False


def _re_encoded_image(data: bytes) -> CheckedFile | None:
    """The picture re-encoded in its own format with no metadata, or None if it does not
    open as a JPEG, PNG, GIF or WebP picture."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    return None
                if probe.width * probe.height > MAX_PIXELS:
                    return None
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                out = io.BytesIO()
                _save_without_metadata(image, fmt, out)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, IndexError):
        return None
    return CheckedFile(data=out.getvalue(), content_type=IMAGE_FORMATS[fmt])


def _save_without_metadata(image: Image.Image, fmt: str, out: io.BytesIO) -> None:
    frames = getattr(image, "n_frames", 1)
    if fmt == "JPEG":
        # Turn the picture the way its EXIF says before the EXIF is dropped.
        upright = ImageOps.exif_transpose(image)
        upright = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
        upright.save(out, "JPEG", quality=90)
    elif fmt in ("GIF", "WEBP") and frames > 1:
        for key in ("exif", "xmp", "icc_profile", "comment"):
            image.info.pop(key, None)
        image.save(out, fmt, save_all=True)
    else:
        image.load()
        clean = image.copy()
        clean.info = {k: v for k, v in image.info.items() if k in ("transparency",)}
        clean.save(out, fmt)
