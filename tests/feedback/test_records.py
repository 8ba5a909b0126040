"""What is kept of an answer: read-only in the admin (no secret shown), in the customer's data export, and blanked
when the customer's data is erased."""

import pytest

from feedback.models import Questionnaire
from feedback.services import questionnaire_answer
from privacy.customers import customer_erase, customer_export
from tests.admin_pages import change_page, changelist

from .conftest import questionnaire_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(solve_callback, customer):
    solve_callback(customer)
    token = questionnaire_emails().get().text_body.split("/rate/")[1].split("/")[0]
    questionnaire_answer(token=token, solved=False, rating=3, comment="Took two days.")
    return Questionnaire.objects.get()


def test_the_admin_lists_answers_and_changes_nothing(admin_client, answered):
    listed = admin_client.get(changelist(Questionnaire), {"answered": "yes", "rating": "3"})
    assert listed.status_code == 200 and answered.case_number in listed.content.decode()
    page = admin_client.get(change_page(answered))
    assert page.status_code == 200 and answered.token_hash not in page.content.decode()
    assert admin_client.post(change_page(answered), {"rating": "5"}).status_code == 403
    assert Questionnaire.objects.get().rating == 3


def test_the_export_holds_the_answer_and_erasure_blanks_the_comment(answered, customer, root):
    (exported,) = customer_export(customer=customer, by=root)["questionnaires"]
    assert (exported["rating"], exported["comment"], exported["solved"]) == (3, "Took two days.", False)
    customer_erase(customer=customer, by=root)
    kept = Questionnaire.objects.get()
    assert (kept.comment, kept.rating) == ("", 3)  # the figure stays for the reports, the words go
