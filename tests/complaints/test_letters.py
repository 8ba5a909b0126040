"""The letter templates' check at upload and their filling in, read back with python-docx."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from complaints import letters
from tests.complaints.letter_templates import docx_text, docx_upload, docx_with
from tests.complaints.sample_files import jpeg_bytes, upload

VALUES = dict.fromkeys(letters.PLACEHOLDERS, "")


def test_the_default_templates_use_only_known_placeholders():
    for language in ("en", "ru"):
        content = letters.default_template_docx(language)
        assert letters.check_template(docx_upload(content)) == content


def test_cyrillic_text_is_filled_in_with_its_line_breaks_and_marks_kept():
    content = letters.default_template_docx("ru")
    values = VALUES | {
        "register_number": "MSK-2026-00042",
        "customer_name": "Иван Петрович Смирнов",
        "received_date": "20 ноября 2026 г.",
        "summary": "Ждал у кассы 40 минут.",
        "answer_text": "Приносим извинения.\nОкно № 2 теперь открыто с 9:00 <всегда> & без перерыва.",
        "branch_name": "Москва, отделение «Центральное»",
    }
    text = docx_text(letters.render_letter(content, values))
    assert "Москва, отделение «Центральное»" in text  # the letterhead, in the page header
    assert "О Вашей жалобе № MSK-2026-00042 от 20 ноября 2026 г." in text
    assert "Уважаемый(ая) Иван Петрович Смирнов!" in text
    assert "Вы сообщили нам: Ждал у кассы 40 минут." in text
    assert "Приносим извинения.\nОкно № 2 теперь открыто с 9:00 <всегда> & без перерыва." in text
    assert "{{" not in text


def test_an_unknown_placeholder_is_refused_and_named():
    with pytest.raises(ValidationError) as refusal:
        letters.check_template(docx_upload(docx_with("Dear {{ client_name }}, {{ register_number }} {{ iban }}")))
    assert refusal.value.code == "unknown_placeholder"
    message = refusal.value.messages[0]
    assert "{{ client_name }}, {{ iban }}" in message and "customer_name" in message


def test_a_broken_expression_is_refused_and_shown_as_written():
    with pytest.raises(ValidationError) as refusal:
        letters.check_template(docx_upload(docx_with("Fine: {{ register_number }}", "Broken: {{ customer_name ")))
    assert refusal.value.code == "bad_expression"
    assert "{{ customer_name" in refusal.value.messages[0]


@pytest.mark.parametrize(
    "content", [b"not a document", jpeg_bytes(), b"PK\x03\x04 a zip that is not one"], ids=["text", "jpeg", "zip"]
)
def test_a_file_that_is_not_a_docx_is_refused(content):
    with pytest.raises(ValidationError) as refusal:
        letters.check_template(upload("letter.docx", content))
    assert refusal.value.code == "not_docx"


def test_an_expression_runs_sandboxed():
    content = docx_with("{{ register_number.upper() }}")
    assert docx_text(letters.render_letter(content, VALUES | {"register_number": "msk-1"})).endswith("MSK-1")
    content = docx_with("{{ register_number.__class__.__mro__ }}")
    letters.check_template(docx_upload(content))  # known names; what it does is refused when it runs
    with pytest.raises(ValidationError) as refusal:
        letters.render_letter(content, VALUES)
    assert refusal.value.code == "template_failed"


def test_dates_are_written_as_the_letters_language_writes_them():
    assert letters._day(date(2026, 12, 4), "ru") == "4 декабря 2026 г."
    assert letters._day(date(2026, 12, 4), "en") == "Dec. 4, 2026"
