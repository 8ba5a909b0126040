"""Letter templates in the admin: a good .docx is stored and audited; a bad one is refused with the reason
(the unknown placeholder named) and nothing is stored. The default templates come from a command."""

from io import StringIO

from django.core.management import call_command

from complaints.letters import default_template_docx
from complaints.models import LetterTemplate
from contactcenter.audit.models import AuditEntry
from tests import admin_pages as pages
from tests.complaints.letter_templates import docx_text, docx_upload, docx_with
from tests.complaints.sample_files import stored_files


def post(admin_client, content, **data):
    return admin_client.post(
        pages.add_page(LetterTemplate),
        {"name": "Our letter", "branch": "", "language": "ru", "is_active": "on", "file": docx_upload(content), **data},
    )


def test_a_template_is_uploaded_and_audited(admin_client, root, msk, media):
    response = post(admin_client, default_template_docx("ru"), branch=msk.pk)
    assert response.status_code == 302
    template = LetterTemplate.objects.get()
    assert (template.branch, template.language, template.uploaded_by) == (msk, "ru", root)
    assert template.file.name.startswith("complaints/letter-templates/")
    assert AuditEntry.objects.for_target(template).get().action == "admin.added"


def test_an_unknown_placeholder_is_refused_and_named(admin_client, media):
    response = post(admin_client, docx_with("Dear {{ customer_name }}, about {{ contract_number }}"))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert "{{ contract_number }}" in errors
    assert not LetterTemplate.objects.exists() and stored_files(media) == []


def test_the_add_page_lists_the_placeholders(admin_client):
    page = admin_client.get(pages.add_page(LetterTemplate)).content.decode()
    assert "{{ register_number }}" in page and "{{ answer_text }}" in page and "{{ signer_name }}" in page


def test_the_list_filters_open(admin_client, msk):
    call_command("default_letter_templates", stdout=StringIO())
    assert pages.follow_every_filter(admin_client, LetterTemplate) > 0


def test_the_command_adds_the_defaults_once_or_writes_them_to_a_folder(db, tmp_path):
    call_command("default_letter_templates", stdout=StringIO())
    call_command("default_letter_templates", stdout=StringIO())
    assert sorted(LetterTemplate.objects.values_list("language", "branch")) == [("en", None), ("ru", None)]
    call_command("default_letter_templates", output=tmp_path / "out", stdout=StringIO())
    written = (tmp_path / "out" / "answer-letter-ru.docx").read_bytes()
    assert docx_text(written) == docx_text(default_template_docx("ru"))
