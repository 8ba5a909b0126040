"""Real e-mail messages, built with the standard library's ``email`` package as a phone's mail app would send them."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.complaints.sample_files import jpeg_bytes, png_bytes

# The first bytes of a real HEIC photo (an ISO BMFF "ftyp" box of brand "heic"), as an iPhone sends one.
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 512


def complaint_message(
    *,
    sender: str,
    subject: str = "Complaint book page",
    body: str = "The customer waited an hour at the desk.",
    date: datetime | None = None,
    message_id: str | None = None,
    attached: list[tuple[str, bytes, str]] | None = None,
    inline: list[tuple[str, bytes, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A multipart message: a text body (and its HTML with inline images, if any), then the attachments.
    Images are ``(file name, bytes, MIME type)``."""
    message = EmailMessage()
    message["From"] = f"Branch employee <{sender}>"
    message["To"] = "complaints@contactcenter.example"
    message["Subject"] = subject
    if date is not None:
        message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id or make_msgid(domain="branch.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if inline:
        cids = [make_msgid(domain="branch.example") for _ in inline]
        images = "".join(f'<img src="cid:{cid[1:-1]}">' for cid in cids)
        message.add_alternative(f"<p>{body}</p>{images}", subtype="html")
        html = message.get_payload()[1]
        for (name, content, mime), cid in zip(inline, cids, strict=True):
            maintype, subtype = mime.split("/")
            html.add_related(content, maintype=maintype, subtype=subtype, cid=cid, filename=name)
    for name, content, mime in attached or ():
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def page_jpeg(color="navy") -> tuple[str, bytes, str]:
    return ("page.jpg", jpeg_bytes(color=color), "image/jpeg")


def page_png() -> tuple[str, bytes, str]:
    return ("page.png", png_bytes((300, 200), "RGB"), "image/png")
