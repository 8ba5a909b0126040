"""The customer's questionnaire: sent once per concluded case, with consent only, in the customer's language;
answered once through its link; an expired, used or forged link stores nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import Channel, Complaint, Status
from contactcenter.audit.models import AuditEntry
from escalations import services as escalation_services
from feedback.models import Kind, Questionnaire
from feedback.services import Unavailable, hash_token, questionnaire_answer
from tests.factories import ComplaintFactory, CustomerFactory, UserFactory

from .conftest import NOW, link_of, questionnaire_emails

pytestmark = pytest.mark.django_db


def token_of(email) -> str:
    return link_of(email).strip("/").split("/")[-1]


def test_a_solved_callback_sends_one_questionnaire_in_the_customers_language(solve_callback, customer, operator):
    callback = solve_callback(customer)

    questionnaire = Questionnaire.objects.get()
    assert (questionnaire.kind, questionnaire.callback, questionnaire.operator) == (Kind.CALLBACK, callback, operator)
    assert questionnaire.expires_at == NOW + timedelta(days=14)
    (email,) = questionnaire_emails()
    assert email.to == ["anna@customer.example"]
    assert "Anna Petrova" in email.text_body
    assert f"обратный звонок №{callback.pk}" in email.text_body  # Russian: a Moscow customer
    assert "07.12.2026" in email.text_body  # the link's last day
    token = token_of(email)
    # Only the hash is kept: the database cannot answer for the customer.
    assert questionnaire.token_hash == hash_token(token) and token not in str(Questionnaire.objects.values().get())
    assert AuditEntry.objects.filter(action="questionnaire.sent", object_id=callback.pk).exists()


def test_no_questionnaire_without_consent_or_address(solve_callback, msk):
    solve_callback(CustomerFactory(branch=msk, email="no-consent@customer.example", email_consent=False))
    solve_callback(CustomerFactory(branch=msk, email="", email_consent=True))
    assert not Questionnaire.objects.exists() and not questionnaire_emails().exists()


def test_a_branch_that_does_not_email_its_customers_sends_none(solve_callback, msk, customer):
    msk.emails_customers = False
    msk.save()
    solve_callback(customer)
    assert not Questionnaire.objects.exists()


def test_a_resolved_escalation_and_an_answered_complaint_send_theirs(msk, customer, operator, supervisor):
    escalation = escalation_services.escalation_open(
        branch=msk, customer=customer, kind="demands_supervisor", customer_wants="A refund.", opened_by=operator
    )
    escalation_services.escalation_record_contact(escalation=escalation, by=supervisor, note="Called back.")
    escalation_services.escalation_close(escalation=escalation, by=supervisor, outcome="resolved", note="Refunded.")
    complaint = ComplaintFactory(branch=msk, customer=customer, status=Status.IN_REVIEW)
    complaint_services.complaint_answer(
        complaint=complaint, text="We apologise.", channel="email", answered_at=NOW, by=supervisor
    )

    rows = {row.kind: row for row in Questionnaire.objects.all()}
    assert rows[Kind.ESCALATION].escalation == escalation and rows[Kind.ESCALATION].operator == supervisor
    assert rows[Kind.COMPLAINT].complaint == complaint and rows[Kind.COMPLAINT].case_number == complaint.register_number
    assert questionnaire_emails().count() == 2


def test_a_complaint_answered_again_after_reopening_is_asked_about_once(msk, customer, supervisor):
    complaint = ComplaintFactory(branch=msk, customer=customer, status=Status.IN_REVIEW)
    complaint_services.complaint_answer(
        complaint=complaint, text="First.", channel="email", answered_at=NOW, by=supervisor
    )
    complaint_services.complaint_reopen(complaint=complaint, reason="The customer wrote again.", by=supervisor)
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.IN_REVIEW)
    complaint_services.complaint_answer(
        complaint=complaint, text="Second.", channel="email", answered_at=NOW, by=supervisor
    )
    assert Questionnaire.objects.count() == 1 and questionnaire_emails().count() == 1


def test_the_answer_is_stored_once(solve_callback, customer, frozen):
    token = token_of(solve_callback(customer) and questionnaire_emails().get())
    questionnaire_answer(token=token, solved=True, rating=5, comment="  Quick and kind.  ")
    stored = Questionnaire.objects.get()
    assert (stored.solved, stored.rating, stored.comment, stored.answered_at) == (True, 5, "Quick and kind.", NOW)
    with pytest.raises(Unavailable) as reused:
        questionnaire_answer(token=token, solved=False, rating=1, comment="Changed my mind.")
    assert reused.value.reason == "answered"
    assert Questionnaire.objects.get().rating == 5


def test_an_expired_or_forged_link_stores_nothing(solve_callback, customer, frozen):
    token = token_of(solve_callback(customer) and questionnaire_emails().get())
    with pytest.raises(Unavailable) as forged:
        questionnaire_answer(token=token[:-1] + ("A" if token[-1] != "A" else "B"), solved=True, rating=4)
    assert forged.value.reason == "unknown"
    frozen.shift(timedelta(days=14))
    with pytest.raises(Unavailable) as expired:
        questionnaire_answer(token=token, solved=True, rating=4)
    assert expired.value.reason == "expired"
    assert not Questionnaire.objects.answered().exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"solved": True, "rating": 0}, "Choose a rating from 1 to 5."),
        ({"solved": True, "rating": 6}, "Choose a rating from 1 to 5."),
        ({"solved": "yes", "rating": 3}, "Say whether your problem was solved."),
        ({"solved": True, "rating": 3, "comment": "x" * 2001}, "Keep the comment under 2000 characters."),
    ],
)
def test_a_wrong_answer_is_refused_and_changes_nothing(solve_callback, customer, answer, message):
    token = token_of(solve_callback(customer) and questionnaire_emails().get())
    with pytest.raises(ValidationError, match=message):
        questionnaire_answer(token=token, **answer)
    assert not Questionnaire.objects.answered().exists()


def test_a_low_rating_with_a_comment_opens_a_complaint_draft(solve_callback, customer, msk):
    callback = solve_callback(customer)
    questionnaire_answer(token=token_of(questionnaire_emails().get()), solved=False, rating=2, comment="Nobody helped.")
    questionnaire = Questionnaire.objects.get()
    draft = questionnaire.follow_up
    assert draft.is_draft and draft.channel == Channel.QUESTIONNAIRE and draft.branch == msk
    assert draft.received_at == NOW and draft.registered_by is None
    # For the branch's staff, in their language: what was rated, whose, and the comment.
    assert f"обратный звонок №{callback.pk}" in draft.summary
    assert "Anna Petrova" in draft.summary and "+7 916 123-45-67" in draft.summary
    assert "оценка 2 из 5" in draft.summary and "Nobody helped." in draft.summary
    entry = AuditEntry.objects.get(action="questionnaire.answered", object_id=callback.pk)
    assert entry.changes["complaint"] == [None, draft.register_number]


@pytest.mark.parametrize(("rating", "comment"), [(1, ""), (3, "Could be faster.")])
def test_no_draft_for_a_low_rating_without_why_or_a_fair_one(solve_callback, customer, rating, comment):
    solve_callback(customer)
    questionnaire_answer(token=token_of(questionnaire_emails().get()), solved=True, rating=rating, comment=comment)
    assert Questionnaire.objects.get().follow_up is None and not Complaint.objects.exists()


# --- the public page ----------------------------------------------------------------------------------------


def test_the_page_needs_no_login_and_shows_only_the_case_number(client, solve_callback, customer):
    callback = solve_callback(customer)
    path = link_of(questionnaire_emails().get())
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"№{callback.pk}" in page and "Ваша проблема решена?" in page  # in the customer's language
    assert "Anna Petrova" not in page and "+7916" not in page and "anna@" not in page
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]


def test_the_page_stores_the_answer_and_then_thanks_again(client, solve_callback, customer):
    solve_callback(customer)
    path = link_of(questionnaire_emails().get())
    response = client.post(path, {"solved": "yes", "rating": "4", "comment": "Fine."})
    assert response.status_code == 200 and 'data-testid="questionnaire-thanks"' in response.content.decode()
    assert Questionnaire.objects.get().rating == 4
    again = client.post(path, {"solved": "no", "rating": "1", "comment": "Again."})
    assert again.status_code == 200 and 'data-reason="answered"' in again.content.decode()
    assert Questionnaire.objects.get().rating == 4


def test_a_form_error_is_said_on_the_page_and_stores_nothing(client, solve_callback, customer):
    solve_callback(customer)
    response = client.post(link_of(questionnaire_emails().get()), {"solved": "yes"})
    assert response.status_code == 200
    assert "Выберите оценку от 1 до 5." in response.content.decode()
    assert not Questionnaire.objects.answered().exists()


def test_a_forged_link_is_not_found_and_an_expired_one_is_gone(client, solve_callback, customer, frozen):
    solve_callback(customer)
    path = link_of(questionnaire_emails().get())
    assert client.get(reverse("feedback:answer", args=["forged"])).status_code == 404
    assert client.get(reverse("feedback:answer", args=["x" * 500])).status_code == 404
    frozen.shift(timedelta(days=15))
    response = client.post(path, {"solved": "yes", "rating": "5"})
    assert response.status_code == 410 and 'data-reason="expired"' in response.content.decode()
    assert not Questionnaire.objects.answered().exists()


def test_the_case_page_shows_the_answer(client, solve_callback, customer, supervisor):
    callback = solve_callback(customer)
    questionnaire_answer(token=token_of(questionnaire_emails().get()), solved=True, rating=5, comment="Thank you!")
    supervisor.language = "en"
    supervisor.save()
    client.force_login(supervisor)
    page = client.get(callback.get_absolute_url()).content.decode()
    assert 'data-testid="case-rating"' in page and "5/5" in page and "Thank you!" in page


def test_another_operator_is_rated_by_their_own_cases_only(solve_callback, msk, customer):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    solve_callback(customer, by=colleague)
    assert Questionnaire.objects.get().operator == colleague
