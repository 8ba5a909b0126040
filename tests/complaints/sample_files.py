"""Files like the ones people upload: photos with metadata, a decompression bomb's header, uploads; and what
the media folder holds afterwards."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def jpeg_bytes(size=(320, 240), color="navy", *, orientation=None, gps=False, comment=None) -> bytes:
    image = Image.new("RGB", size, color)
    # A mark in the top-left corner, so that a turn can be seen in the pixels.
    image.paste("yellow", (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    output = io.BytesIO()
    options = {"exif": exif}
    if comment:
        options["comment"] = comment
    image.save(output, "JPEG", **options)
    return output.getvalue()


def png_bytes(size=(200, 100), mode="RGBA") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size).save(output, "PNG")
    return output.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's header)."""
    data = bytearray(png_bytes((1, 1), "1"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF)
    return bytes(data)


def pdf_bytes(pages: int = 1, *, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """A real PDF (A4 blank pages), written by pypdf; with a password it is encrypted (AES-256)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password=user_password or "", owner_password=owner_password, algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())
