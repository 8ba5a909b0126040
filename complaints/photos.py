"""Photos of complaint pages: checked with Pillow before anything is kept, then normalised.

A photo is kept only if it is really a JPEG, PNG or WebP (by its content, not its name), not empty, at most
``COMPLAINT_PHOTO_MAX_BYTES`` and at most ``COMPLAINT_PHOTO_MAX_PIXELS`` pixels. The pixel count is read from
the header before any decoding, so a decompression bomb (a small file that claims 30 000 × 30 000 pixels) is
refused without allocating its pixels. A kept photo is turned upright by its EXIF orientation, re-encoded as a
JPEG without any metadata (EXIF, GPS, comments, ICC profile) and gets a thumbnail. Its fingerprint is the
SHA-256 of its upright pixels, so the same photo sent twice is recognised even when its metadata differ.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# The long side of a kept photo: enough to read a handwritten page, small enough to send by e-mail.
MAX_SIDE = 4096
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85
# How many files one form may bring at once.
MAX_FILES_AT_ONCE = 20


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked and normalised photo, not stored yet (``store`` does that)."""

    original_name: str
    content: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class StoredPhoto:
    image: str
    thumbnail: str


def _display_name(upload) -> str:
    return (getattr(upload, "name", "") or _("the file")).rsplit("/", 1)[-1][:255]


def read_upload(upload, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, refused when empty or larger than ``max_bytes`` (checked before reading)."""
    name = _display_name(upload)
    size = getattr(upload, "size", None)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; at most %(max)s is accepted."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if len(data) > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s."),
            code="too_large",
            params={"name": name, "max": filesizeformat(max_bytes)},
        )
    return data


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP image (or it is damaged)."), code="not_an_image", params={"name": name}
    )


def _too_many_pixels(name: str, size: tuple[int, int] | None = None) -> ValidationError:
    limit = settings.COMPLAINT_PHOTO_MAX_PIXELS
    if size:
        message = _("“%(name)s” has %(width)d × %(height)d pixels; at most %(megapixels)d megapixels are accepted.")
        params = {"name": name, "width": size[0], "height": size[1], "megapixels": limit // 1_000_000}
    else:
        message = _("“%(name)s” has too many pixels; at most %(megapixels)d megapixels are accepted.")
        params = {"name": name, "megapixels": limit // 1_000_000}
    return ValidationError(message, code="too_many_pixels", params=params)


def _open_checked(data: bytes, name: str) -> Image.Image:
    """Open ``data`` as an accepted format whose header promises a bounded number of pixels; nothing decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours: refused in the header
        raise _too_many_pixels(name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise _not_an_image(name) from error
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise _not_an_image(name)
    if width * height > settings.COMPLAINT_PHOTO_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(name, (width, height))
    return image


def check_image(data: bytes, name: str) -> str:
    """The format of ``data`` if it is a whole, accepted, bounded image; a ValidationError otherwise."""
    image = _open_checked(data, name)
    try:
        image_format = image.format
        image.verify()
    except Exception as error:  # verify() raises whatever the decoder meets in a damaged file
        raise _not_an_image(name) from error
    finally:
        image.close()
    return image_format


def _upright_rgb(data: bytes, name: str) -> Image.Image:
    """Decode, apply the EXIF orientation, flatten any transparency onto white; a new image without metadata."""
    with _open_checked(data, name) as image:
        if image.format == "JPEG":
            # Decode a huge JPEG at a reduced scale straight away rather than in full and shrink it afterwards.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        try:
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
            elif upright.mode.startswith("I;16") or upright.mode in ("I", "F"):
                flat = upright.convert("F").point(lambda value: value / 256).convert("L").convert("RGB")
            else:
                flat = upright.convert("RGB")
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise _not_an_image(name) from error
    flat.info = {}
    return flat


def _jpeg(image: Image.Image, quality: int) -> bytes:
    output = io.BytesIO()
    # No exif=, icc_profile= or comment=: the saved file carries no metadata at all.
    image.save(output, "JPEG", quality=quality, optimize=True)
    return output.getvalue()


def prepare_photo(upload) -> PreparedPhoto:
    """Check one uploaded file and normalise it; a ValidationError naming the file says what is wrong."""
    name = _display_name(upload)
    data = read_upload(upload, max_bytes=settings.COMPLAINT_PHOTO_MAX_BYTES)
    check_image(data, name)
    image = _upright_rgb(data, name)
    fingerprint = hashlib.sha256(f"{image.width}x{image.height}:".encode() + image.tobytes()).hexdigest()
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    content = _jpeg(image, JPEG_QUALITY)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return PreparedPhoto(
        original_name=name,
        content=content,
        thumbnail=_jpeg(thumbnail, 80),
        width=image.width,
        height=image.height,
        sha256=fingerprint,
    )


def prepare_photos(uploads) -> list[PreparedPhoto]:
    """Every file checked; all the problems reported together, so the user can fix them in one go."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES_AT_ONCE:
        raise ValidationError(
            _("At most %(count)d photos can be added at once."), code="too_many", params={"count": MAX_FILES_AT_ONCE}
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(prepare_photo(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return prepared


def _unguessable_name(folder: str, suffix: str) -> str:
    return f"{folder}/{secrets.token_urlsafe(24)}{suffix}"


def store(photo: PreparedPhoto) -> StoredPhoto:
    """Write the photo and its thumbnail to the media storage under names nobody can guess."""
    image = default_storage.save(_unguessable_name("complaints/pages", ".jpg"), ContentFile(photo.content))
    try:
        thumbnail = default_storage.save(
            _unguessable_name("complaints/thumbnails", ".jpg"), ContentFile(photo.thumbnail)
        )
    except BaseException:
        default_storage.delete(image)
        raise
    return StoredPhoto(image=image, thumbnail=thumbnail)


# --- answer letters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedLetter:
    original_name: str
    content: bytes
    content_type: str
    suffix: str


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def check_pdf(data: bytes, name: str) -> None:
    """A PDF a reader opens: pypdf parses it, it opens without a password (a PDF that only restricts
    printing or copying with an owner password does) and it has at least one page."""
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        pages = 0 if locked else len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 - reading the first page is what a reader does first
    except Exception as error:  # a damaged file can make the parser fail in any way
        raise ValidationError(
            _("“%(name)s” begins like a PDF but cannot be opened: it is damaged or not a PDF."),
            code="bad_pdf",
            params={"name": name},
        ) from error
    if locked:
        raise ValidationError(
            _("“%(name)s” opens only with a password: attach a copy without one."),
            code="pdf_password",
            params={"name": name},
        )
    if not pages:
        raise ValidationError(_("“%(name)s” is a PDF without any page."), code="pdf_no_pages", params={"name": name})


def prepare_letter(upload) -> PreparedLetter:
    """An answer letter: a PDF that opens, a Word document (DOCX) or a photo or scan (treated as a page photo)."""
    name = _display_name(upload)
    data = read_upload(upload, max_bytes=settings.COMPLAINT_LETTER_MAX_BYTES)
    if data.startswith(b"%PDF-"):
        check_pdf(data, name)
        return PreparedLetter(name, data, "application/pdf", ".pdf")
    if _is_docx(data):
        return PreparedLetter(
            name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
        )
    try:
        photo = prepare_photo(upload)
    except ValidationError as error:
        if error.code in ("too_many_pixels", "too_large"):
            raise
        raise ValidationError(
            _("“%(name)s” is not a PDF, a Word document (DOCX) or a JPEG, PNG or WebP image."),
            code="bad_letter",
            params={"name": name},
        ) from error
    return PreparedLetter(name, photo.content, "image/jpeg", ".jpg")


def store_letter(letter: PreparedLetter) -> str:
    return default_storage.save(_unguessable_name("complaints/letters", letter.suffix), ContentFile(letter.content))
