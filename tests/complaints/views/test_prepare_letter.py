"""'Prepare the letter' at the answer step: offered with the templates of the branch, a .docx to download or a
printable page, for those who answer the complaints of the branch."""

import re

import pytest
from django.urls import reverse

from complaints.letters import DOCX_TYPE
from complaints.models import Complaint, Status
from contactcenter.audit.models import AuditEntry
from tests.complaints.letter_templates import docx_text, make_template


@pytest.fixture
def in_review(complaint, reviewer):
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.IN_REVIEW, assigned_to=reviewer)
    complaint.refresh_from_db()
    return complaint


def prepare(client, complaint, **data):
    return client.post(reverse("complaints:prepare-letter", args=[complaint.pk]), data)


def test_the_answer_step_offers_the_branchs_templates_only(client, in_review, reviewer, msk, bud):
    own = make_template(name="Moscow letter", branch=msk, language="ru")
    everywhere = make_template(name="Common letter")
    make_template(name="Budapest letter", branch=bud)
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url()).content.decode()
    section = re.search(r'data-testid="prepare-letter".*?</div>\s*</div>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', section) == [str(own.pk), str(everywhere.pk)]
    assert "Budapest letter" not in section
    assert 'id="answer-form"' in page and section.count('form="answer-form"') == 3
    assert section.count(f'formaction="{reverse("complaints:prepare-letter", args=[in_review.pk])}"') == 2


def test_the_docx_holds_the_answer_written_so_far(client, in_review, reviewer):
    template = make_template(language="ru")
    client.force_login(reviewer)
    response = prepare(
        client, in_review, letter_template=template.pk, output="docx", answer_text="Окно № 2 открыто с 9:00."
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE and response["Cache-Control"] == "private, no-store"
    assert f'filename="{in_review.register_number}-answer.docx"' in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "Окно № 2 открыто с 9:00." in text and f"№ {in_review.register_number}" in text
    assert AuditEntry.objects.for_target(in_review).filter(action="complaint.letter_prepared").count() == 1


def test_the_printable_page_is_the_same_letter(client, in_review, reviewer, msk):
    msk.address = "ул. Тверская, 1\nМосква"
    msk.save()
    template = make_template(language="ru")
    client.force_login(reviewer)
    response = prepare(client, in_review, letter_template=template.pk, output="print", answer_text="Спасибо.")
    page = response.content.decode()
    assert response.status_code == 200 and 'lang="ru"' in page and "css/print.css" in page
    assert '<p class="letter-paragraph mb-0">ул. Тверская, 1\nМосква</p>' in page
    assert '<p class="letter-paragraph">Спасибо.</p>' in page


def test_an_english_customer_gets_the_english_letter_first(client, in_review, reviewer, msk):
    make_template(name="Russian", language="ru")
    english = make_template(name="English", language="en")
    in_review.customer.preferred_language = "en"
    in_review.customer.save()
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert re.findall(r'<option value="(\d+)"', page.split('data-testid="prepare-letter"')[1])[0] == str(english.pk)


def test_another_branchs_template_is_refused_with_a_message(client, in_review, reviewer, bud):
    template = make_template(branch=bud)
    client.force_login(reviewer)
    response = prepare(client, in_review, letter_template=template.pk, output="docx", answer_text="")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "No letter was prepared" in page and "not offered for the complaint" in page
    assert not AuditEntry.objects.filter(action="complaint.letter_prepared").exists()


def test_who_may_prepare_a_letter(client, in_review, operator, bud_manager):
    template = make_template()
    client.force_login(operator)  # may look, may not answer
    assert prepare(client, in_review, letter_template=template.pk, output="docx").status_code == 403
    client.force_login(bud_manager)  # answers, in another branch
    assert prepare(client, in_review, letter_template=template.pk, output="docx").status_code == 404
    assert client.get(reverse("complaints:prepare-letter", args=[in_review.pk])).status_code == 405
    assert not AuditEntry.objects.filter(action="complaint.letter_prepared").exists()


def test_without_a_template_the_step_says_so(client, in_review, reviewer):
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "No letter template is offered to this branch yet" in page


def test_in_russian(client, in_review, reviewer):
    make_template(language="ru")
    reviewer.language = "ru"
    reviewer.save()
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "Подготовить письмо" in page and "Страница для печати" in page and "все отделения" in page
