"""Letter templates for the tests: the default ones (made as the product makes them) and small ones written
here with python-docx, so no binary file is kept."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from complaints.letters import DOCX_TYPE, default_template_docx
from complaints.models import LetterTemplate


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_upload(content: bytes, name: str = "letter.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=DOCX_TYPE)


def docx_text(content: bytes) -> str:
    """Every paragraph of a .docx, the page header's first, one per line (as python-docx reads them)."""
    document = Document(io.BytesIO(content))
    header = [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join([*header, *(p.text for p in document.paragraphs)])


def make_template(*, name="Letter", branch=None, language="en", content=None) -> LetterTemplate:
    template = LetterTemplate(name=name, branch=branch, language=language)
    template.file.save(f"{name}.docx", ContentFile(content or default_template_docx(language)), save=False)
    template.save()
    return template
