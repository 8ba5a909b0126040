"""Answer letters from the organisation's Word templates: the placeholders a template may use, the check made
at upload, the filling in (docxtpl, in a sandboxed Jinja environment), the same letter as printable
paragraphs, and the default template, drawn with python-docx so that it can always be made again.

A template is a ``.docx`` whose text holds Jinja placeholders, ``{{ register_number }}``; any name not in
``PLACEHOLDERS`` is refused at upload, naming it, as is a broken expression or a file that is not a ``.docx``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate, Listing
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import XMLSyntaxError

from contactcenter.directory.phones import format_phone

from . import photos

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Every name a template may use, with what it holds (the admin's help text and the README list the same).
PLACEHOLDERS = {
    "register_number": _("the complaint's register number, e.g. MSK-2026-00042"),
    "customer_name": _("the customer's name"),
    "customer_phone": _("the customer's phone, in the international format"),
    "customer_email": _("the customer's e-mail address (may be empty)"),
    "received_date": _("the day the complaint was received"),
    "registered_date": _("the day it was registered"),
    "answer_due_date": _("the day the answer is due (10 business days)"),
    "letter_date": _("today, the day the letter is prepared"),
    "branch_name": _("the branch's name"),
    "branch_address": _("the branch's address (may have several lines)"),
    "summary": _("the complaint's summary (may have several lines)"),
    "answer_text": _("the answer's text, as written in the answer form (may have several lines)"),
    "signer_name": _("the name of the person preparing the letter"),
}
# Held as docxtpl "listings": their line breaks become line breaks in Word.
MULTILINE = frozenset({"branch_address", "summary", "answer_text"})


def placeholder_help() -> str:
    return ", ".join(f"{{{{ {name} }}}}: {description}" for name, description in PLACEHOLDERS.items())


def _environment() -> SandboxedEnvironment:
    """Templates are uploaded files: their expressions run sandboxed, and every value is escaped for XML."""
    return SandboxedEnvironment(autoescape=True)


def _open(data: bytes) -> DocxTemplate:
    return DocxTemplate(io.BytesIO(data))


def check_template(upload) -> bytes:
    """The bytes of an uploaded letter template, refused (with the reason, and any unknown placeholder named)
    unless it is a Word document whose placeholders are all known and whose expressions parse."""
    name = photos._display_name(upload)
    data = photos.read_upload(upload, max_bytes=settings.COMPLAINT_LETTER_MAX_BYTES)
    if not photos._is_docx(data):
        raise ValidationError(_("“%(name)s” is not a Word document (.docx)."), code="not_docx", params={"name": name})
    try:
        used = _open(data).get_undeclared_template_variables(jinja_env=_environment())
    except TemplateError as error:
        raise ValidationError(
            _("“%(name)s” has a placeholder that cannot be read: %(placeholder)s (%(error)s)."),
            code="bad_expression",
            params={"name": name, "placeholder": _broken_expression(data), "error": error.message or "?"},
        ) from error
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, XMLSyntaxError) as error:
        raise ValidationError(
            _("“%(name)s” is not a Word document (.docx)."), code="not_docx", params={"name": name}
        ) from error
    unknown = sorted(used - PLACEHOLDERS.keys())
    if unknown:
        raise ValidationError(
            _("“%(name)s” uses unknown placeholders: %(unknown)s. Known: %(known)s."),
            code="unknown_placeholder",
            params={
                "name": name,
                "unknown": ", ".join(f"{{{{ {word} }}}}" for word in unknown),
                "known": ", ".join(PLACEHOLDERS),
            },
        )
    return data


EXPRESSION = re.compile(r"\{[{%].*?(?:[}%]\}|$)", re.S)


def _broken_expression(data: bytes) -> str:
    """The first expression of the document's text that does not parse on its own, as the author wrote it
    (the parser's own message points into Word's XML, which the author never saw)."""
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    texts += [p.text for section in document.sections for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    environment = _environment()
    for text in texts:
        for expression in EXPRESSION.findall(text):
            if expression.startswith("{%"):
                continue  # a block tag is only whole with its end tag
            try:
                environment.parse(expression)
            except TemplateError:
                return expression.strip()
    return "?"


# A letter writes its days in words, as letters do ("4 декабря 2026 г.", "Dec. 4, 2026"); the pages' one format per
# language (contactcenter/formats) is the short, numeric one.
LETTER_DATE_FORMATS = {"ru": "j E Y г.", "en": "N j, Y", "hu": "Y. F j."}


def _day(value: date | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return dateformat.format(value, LETTER_DATE_FORMATS.get(language, LETTER_DATE_FORMATS["en"]))


def letter_values(*, complaint, answer_text: str, language: str, signer, answer_due=None) -> dict[str, str]:
    """The placeholders' values for one complaint: dates on the branch's calendar, written as the letter's
    language writes them ("1 декабря 2026 г.", "Dec. 1, 2026")."""
    tz = complaint.branch.tz
    customer = complaint.customer
    return {
        "register_number": complaint.register_number,
        "customer_name": customer.full_name if customer else "",
        "customer_phone": format_phone(customer.phone) if customer else "",
        "customer_email": customer.email if customer else "",
        "received_date": _day(complaint.received_on, language),
        "registered_date": _day(timezone.localtime(complaint.registered_at, tz).date(), language),
        "answer_due_date": _day(timezone.localtime(answer_due, tz).date() if answer_due else None, language),
        "letter_date": _day(timezone.localtime(timezone.now(), tz).date(), language),
        "branch_name": complaint.branch.name,
        "branch_address": complaint.branch.address,
        "summary": complaint.summary,
        "answer_text": (answer_text or "").strip(),
        "signer_name": (signer.get_full_name() or signer.get_username()) if signer else "",
    }


def render_letter(template_bytes: bytes, values: dict[str, str]) -> bytes:
    """The filled-in ``.docx``."""
    document = _open(template_bytes)
    context = {name: Listing(value) if name in MULTILINE else value for name, value in values.items()}
    try:
        document.render(context, jinja_env=_environment(), autoescape=True)
    except TemplateError as error:  # the sandbox refused an expression, or it failed on the values
        raise ValidationError(
            _("The template could not be filled in: %(error)s. An administrator should correct it."),
            code="template_failed",
            params={"error": error.message or error.__class__.__name__},
        ) from error
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class PrintedLetter:
    """The filled-in letter as the printable page shows it: the letterhead (the page header's paragraphs),
    then the body's paragraphs, each a string that may hold line breaks."""

    header: list[str]
    body: list[str]


def letter_paragraphs(docx_bytes: bytes) -> PrintedLetter:
    document = Document(io.BytesIO(docx_bytes))
    header = [p.text for section in document.sections[:1] for p in section.header.paragraphs if p.text.strip()]
    body = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            body.append("\t".join(cell.text for cell in row.cells))
    # Leading and trailing empty paragraphs are layout, not content.
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return PrintedLetter(header=header, body=body)


# The default template's words, per language: a letterhead, the address, the subject, the answer, the signature.
DEFAULT_WORDS = {
    "en": {
        "subject": "Re: your complaint {{ register_number }} of {{ received_date }}",
        "greeting": "Dear {{ customer_name }},",
        "intro": "You wrote to us: {{ summary }}",
        "closing": "Yours sincerely,",
        "date": "{{ letter_date }}",
    },
    "ru": {
        "subject": "О Вашей жалобе № {{ register_number }} от {{ received_date }}",
        "greeting": "Уважаемый(ая) {{ customer_name }}!",
        "intro": "Вы сообщили нам: {{ summary }}",
        "closing": "С уважением,",
        "date": "{{ letter_date }}",
    },
}


def default_template_docx(language: str) -> bytes:
    """The default letter template in ``language`` (English where there is none), made with python-docx."""
    words = DEFAULT_WORDS.get(language, DEFAULT_WORDS["en"])
    document = Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "{{ branch_name }}"
    header.add_paragraph("{{ branch_address }}")
    document.add_paragraph(words["date"])
    document.add_paragraph("{{ customer_name }}\n{{ customer_email }}")
    subject = document.add_paragraph()
    subject.add_run(words["subject"]).bold = True
    document.add_paragraph(words["greeting"])
    document.add_paragraph(words["intro"])
    document.add_paragraph("{{ answer_text }}")
    document.add_paragraph(words["closing"])
    document.add_paragraph("{{ signer_name }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
