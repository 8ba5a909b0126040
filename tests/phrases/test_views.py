"""The library page (search, language, works without a script), the counting endpoint (CSRF, permission) and
the panels beside the three text fields."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from complaints.models import Status
from phrases.models import PhraseUse, Situation
from tests.factories import CallbackFactory, ComplaintFactory, CustomerFactory, PhraseFactory, UserFactory


@pytest.fixture
def library(db):
    return {
        "failure": PhraseFactory(situation=Situation.SYSTEM_FAILURE, text="Our system is down for a while."),
        "closing": PhraseFactory(situation=Situation.CLOSING, text="Thank you for calling."),
        "russian": PhraseFactory(situation=Situation.APOLOGY, language="ru", text="Приносим извинения."),
        "retired": PhraseFactory(situation=Situation.APOLOGY, text="A retired phrase.", is_active=False),
    }


def test_the_library_lists_the_readers_language_by_situation(client, operator, library):
    client.force_login(operator)
    page = client.get(reverse("phrases:library")).content.decode()
    assert "Our system is down for a while." in page and "Thank you for calling." in page
    assert "Приносим извинения." not in page and "A retired phrase." not in page
    assert page.index("System failure") < page.index("Closing the call")


def test_the_library_is_searched_by_words_and_language(client, operator, library):
    client.force_login(operator)
    page = client.get(reverse("phrases:library"), {"q": "DOWN system"}).content.decode()
    assert "Our system is down for a while." in page and "Thank you for calling." not in page
    page = client.get(reverse("phrases:library"), {"language": "ru", "q": "извинения"}).content.decode()
    assert "Приносим извинения." in page


def test_the_library_needs_the_permission(client, msk, library):
    client.force_login(UserFactory(branches=[msk]))
    assert client.get(reverse("phrases:library")).status_code == 403


def test_an_insertion_is_counted_only_with_the_csrf_token(msk, operator, library):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(operator)
    url = reverse("phrases:use", args=[library["closing"].pk])
    assert browser.post(url, {"place": "callback_attempt", "branch": msk.pk}).status_code == 403
    assert not PhraseUse.objects.exists()
    browser.get(reverse("phrases:library"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {"place": "callback_attempt", "branch": msk.pk}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert PhraseUse.objects.get().branch == msk


def test_a_bad_insertion_is_refused_with_its_reason(client, operator, library):
    client.force_login(operator)
    response = client.post(reverse("phrases:use", args=[library["closing"].pk]), {"place": "nowhere"})
    assert response.status_code == 400 and "Unknown form." in response.content.decode()
    response = client.post(reverse("phrases:use", args=[library["retired"].pk]), {"place": "escalation"})
    assert response.status_code == 400
    assert client.get(reverse("phrases:use", args=[library["closing"].pk])).status_code == 405
    assert not PhraseUse.objects.exists()


def panel(page: str) -> str:
    found = re.search(r'<details class="phrase-panel.*?</details>', page, re.S)
    assert found, "no phrase panel"
    return found.group(0)


def test_beside_the_callback_attempt_in_the_customers_language(client, msk, operator, library):
    callback = CallbackFactory(branch=msk)  # a Moscow customer reads Russian
    client.force_login(operator)
    shown = panel(client.get(callback.get_absolute_url()).content.decode())
    assert 'data-target="id_note"' in shown and 'data-place="callback_attempt"' in shown
    assert f'data-branch="{msk.pk}"' in shown
    assert "Приносим извинения." in shown and "Thank you for calling." not in shown
    assert "js/phrases.js" in client.get(callback.get_absolute_url()).content.decode()


def test_beside_the_complaint_answer(client, msk, people, library):
    customer = CustomerFactory(branch=msk, preferred_language="en")
    complaint = ComplaintFactory(branch=msk, customer=customer, status=Status.IN_REVIEW)
    client.force_login(people["manager"])
    shown = panel(client.get(complaint.get_absolute_url()).content.decode())
    assert 'data-target="id_answer_text"' in shown and 'data-place="complaint_answer"' in shown
    assert "Thank you for calling." in shown and "data-phrase-insert" in shown


def test_beside_the_new_escalation_form_the_branch_comes_from_its_select(client, operator, library):
    client.force_login(operator)
    shown = panel(client.get(reverse("escalations:create")).content.decode())
    assert 'data-target="id_customer_wants"' in shown and 'data-branch-field="id_branch"' in shown
    assert "Our system is down for a while." in shown


def test_no_panel_for_someone_without_the_permission(client, msk, library):
    reader = UserFactory(branches=[msk])
    reader.user_permissions.add(Permission.objects.get(codename="view_callback"))
    client.force_login(reader)
    page = client.get(CallbackFactory(branch=msk).get_absolute_url()).content.decode()
    assert "phrase-panel" not in page


def test_the_librarys_cost_does_not_grow_with_its_phrases(client, operator, library, django_assert_max_num_queries):
    client.force_login(operator)
    client.get(reverse("phrases:library"))
    with django_assert_max_num_queries(8) as few:
        before = client.get(reverse("phrases:library")).content.decode().count('data-testid="phrase"')
    PhraseFactory.create_batch(30, situation=Situation.DELAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("phrases:library")).content.decode()
    assert page.count('data-testid="phrase"') == before + 30


def test_the_library_in_russian(client, operator, library):
    operator.language = "ru"
    operator.save()
    client.force_login(operator)
    page = client.get(reverse("phrases:library")).content.decode()
    assert "Стандартные фразы" in page and "Приносим извинения." in page and "Извинение" in page
