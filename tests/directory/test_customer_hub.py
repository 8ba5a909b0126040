"""The customer's page is the hub: every case of the customer, newest first, and new cases started from it."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from callbacks.models import ContactAttempt
from tests.complaints.sample_files import jpeg_bytes, upload
from tests.factories import (
    CallbackFactory,
    ContactAttemptFactory,
    CustomerFactory,
    EscalationFactory,
    UserFactory,
)
from tests.moments import moscow as at

NOW = at(2026, 11, 24, 12, 0)


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def maria(msk):
    return CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567")


def register_complaint(branch, by, *, received, summary, photos=1):
    from complaints import services
    from complaints.photos import prepare_photo

    with time_machine.travel(received + timedelta(minutes=1), tick=False):
        return services.complaint_register(
            branch=branch,
            channel="complaint_book",
            category="service",
            received_at=received,
            summary=summary,
            registered_by=by,
            customer_phone="+79161234567",
            customer_name="Maria Petrova",
            pages=[prepare_photo(upload(f"page{n}.jpg", jpeg_bytes())) for n in range(photos)],
        )


def cases_of(branch, customer, supervisor, *, complaints=2, callbacks=2, escalations=2):
    """``complaints`` complaints (one photo each, real clocks), callbacks with two attempts and escalations."""
    made = {"complaints": [], "callbacks": [], "escalations": []}
    for n in range(complaints):
        made["complaints"].append(
            register_complaint(branch, supervisor, received=at(2026, 11, 10 + n, 10, 0), summary=f"Complaint {n}")
        )
    for n in range(callbacks):
        callback = CallbackFactory(branch=branch, customer=customer, customer_said=f"Callback {n}")
        ContactAttemptFactory.create_batch(2, callback=callback, by=supervisor, note=f"tried {n}")
        made["callbacks"].append(callback)
    for n in range(escalations):
        made["escalations"].append(
            EscalationFactory(branch=branch, customer=customer, customer_wants=f"Escalation {n}", opened_at=NOW)
        )
    return made


def test_the_page_shows_every_case_with_its_details_newest_first(client, msk, supervisor, maria):
    made = cases_of(msk, maria, supervisor)
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(maria.get_absolute_url())
    page = response.content.decode()

    titles = [section.title for section in response.context["sections"]]
    assert titles == ["Callbacks", "Complaints", "Escalations"]
    older, newer = made["complaints"]
    assert page.index(newer.register_number) < page.index(older.register_number)
    assert page.count('data-testid="customer-complaint"') == 2
    # Status, every clock (forwarding, answer) and the photo's thumbnail, served through the checked view.
    assert "Forwarding to the manager" in page and "Answer to the customer" in page
    for complaint in made["complaints"]:
        thumbnail = reverse("complaints:page-thumbnail", args=[complaint.pages.get().pk])
        assert f'src="{thumbnail}"' in page
    assert page.count('data-testid="customer-complaint-thumbnail"') == 2
    assert "Registered" in page  # the complaints' status
    # Callbacks with their attempts, escalations, the notes and the history of changes.
    assert page.count("tried 0") == 2 and page.count("tried 1") == 2
    assert page.index(f"#{made['callbacks'][1].pk}") < page.index(f"#{made['callbacks'][0].pk}")
    assert "Escalation 0" in page and "Escalation 1" in page
    assert "History of changes" in page


def test_who_may_not_see_complaints_sees_neither_them_nor_their_photos(client, msk, supervisor, maria):
    made = cases_of(msk, maria, supervisor, callbacks=0, escalations=0)
    reader = UserFactory(username="reader", role=None, branches=[msk])
    reader.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client.force_login(reader)
    page = client.get(maria.get_absolute_url()).content.decode()
    assert made["complaints"][0].register_number not in page
    assert "thumbnail" not in page
    # The photo itself is refused too.
    thumbnail = reverse("complaints:page-thumbnail", args=[made["complaints"][0].pages.get().pk])
    assert client.get(thumbnail).status_code == 403


def test_cases_of_a_branch_the_reader_may_not_see_are_not_shown(client, msk, bud, supervisor, maria):
    ours = CallbackFactory(branch=msk, customer=maria, customer_said="Ours")
    CallbackFactory(branch=bud, customer=maria, customer_said="Theirs in Budapest")
    EscalationFactory(branch=bud, customer=maria, customer_wants="Their escalation")
    client.force_login(supervisor)
    page = client.get(maria.get_absolute_url()).content.decode()
    assert "Ours" in page and f"#{ours.pk}" in page
    assert "Theirs in Budapest" not in page
    assert "Their escalation" not in page


def test_the_page_costs_the_same_queries_for_one_case_or_many(
    client, msk, supervisor, maria, django_assert_max_num_queries
):
    cases_of(msk, maria, supervisor, complaints=1, callbacks=1, escalations=1)
    client.force_login(supervisor)
    with django_assert_max_num_queries(40) as few:
        assert client.get(maria.get_absolute_url()).status_code == 200
    cases_of(msk, maria, supervisor, complaints=4, callbacks=6, escalations=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(maria.get_absolute_url())
    assert response.content.decode().count('data-testid="customer-complaint"') == 5
    assert ContactAttempt.objects.filter(callback__customer=maria).count() == 14


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("callbacks:create", "New callback"),
        ("complaints:register", "Register a complaint"),
        ("escalations:create", "New escalation"),
    ],
)
def test_new_cases_start_from_the_page_with_the_customer_filled_in(client, msk, bud, operator, maria, url_name, label):
    UserFactory(username="other", role="Operator", branches=[bud])
    operator.branches.add(bud)  # two branches: the form must take the customer's
    client.force_login(operator)
    start = f"{reverse(url_name)}?customer={maria.pk}"
    assert f'href="{start}"' in client.get(maria.get_absolute_url()).content.decode().replace("&amp;", "&")
    response = client.get(start)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["branch"] == msk.pk
    assert form.initial["customer_phone"] == maria.phone_display
    assert form.initial["customer_name"] == "Maria Petrova"
    page = response.content.decode()
    assert f'value="{maria.phone_display}"' in page
    assert 'value="Maria Petrova"' in page
    assert label in page


@pytest.mark.parametrize("url_name", ["callbacks:create", "complaints:register", "escalations:create"])
@pytest.mark.parametrize("value", ["theirs", "abc", "99999999", "1" * 30])
def test_a_customer_the_reader_may_not_see_is_refused_cleanly(client, msk, bud, operator, url_name, value):
    theirs = CustomerFactory(branch=bud, full_name="Secret Person", phone="+36301234567")
    client.force_login(operator)
    response = client.get(reverse(url_name), {"customer": theirs.pk if value == "theirs" else value})
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert "not one of your branches' customers" in page
    assert "Secret Person" not in page and "3630" not in page.replace(" ", "")
    assert not response.context["form"].initial.get("customer_phone")


def test_who_may_only_look_gets_no_new_case_buttons(client, msk, onlooker, maria):
    client.force_login(onlooker)
    page = client.get(maria.get_absolute_url()).content.decode()
    assert "?customer=" not in page
