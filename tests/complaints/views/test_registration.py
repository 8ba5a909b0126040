"""Registering from a phone or a computer: clear messages, and nothing stored when anything is wrong."""

import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintPage
from contactcenter import celery_app
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import TASK_NAME
from contactcenter.directory.models import Customer
from tests.complaints.sample_files import jpeg_bytes, png_claiming, stored_files, upload
from tests.factories import CustomerFactory
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 30)  # when the page tests run (views/conftest.py)


def test_the_form_takes_photos_from_the_phone_camera(client, operator, msk):
    client.force_login(operator)
    page = client.get(reverse("complaints:register")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert page.count('name="pages"') == 2, "the camera, and a choice of files from the phone or computer"
    assert 'type="datetime-local"' in page and 'value="2026-11-23T10:30"' in page, "now, in Moscow time"


def test_an_operator_registers_a_complaint_with_a_photo(client, operator, msk, staff, media, registration_data):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {**registration_data(forward=""), "pages": [upload("page.jpg", jpeg_bytes(gps=True))]},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    assert complaint.register_number == "MSK-2026-00001"
    assert complaint.received_at == at(2026, 11, 23, 10, 0), "read in the branch's time zone"
    assert complaint.pages.count() == 1 and len(stored_files(media)) == 2
    assert not OutboundEmail.objects.exists(), "forwarding was not ticked"

    detail = client.get(response.url).content.decode()
    assert "Complaint MSK-2026-00001 registered" in detail
    assert "the answer is due by <strong>07.12.2026</strong>" in detail, "10 business days after Monday 23 November"
    assert reverse("complaints:page-thumbnail", args=[complaint.pages.get().pk]) in detail
    assert "registered the complaint (" in detail and "complaint.registered" not in detail


def test_registration_with_forwarding_ticked_queues_the_email(client, operator, msk, staff, registration_data):
    client.force_login(operator)
    client.post(
        reverse("complaints:register"), {**registration_data(forward="on"), "pages": [upload("page.jpg", jpeg_bytes())]}
    )
    assert OutboundEmail.objects.get().to == [staff["manager"].email]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("page.jpg", b"I am a text file, not a photo." * 10, "“page.jpg” is not a JPEG, PNG or WebP image"),
        ("empty.jpg", b"", "“empty.jpg” is empty."),
        ("big.jpg", b"\xff\xd8\xff" + bytes(20 * 1024 * 1024), "“big.jpg” is 20.0\xa0MB; at most 15.0\xa0MB"),
        ("bomb.png", png_claiming(30_000, 30_000), "“bomb.png” has too many pixels; at most 50 megapixels"),
    ],
    ids=["text-named-jpg", "empty", "20-mb", "30000x30000-png"],
)
def test_a_bad_file_is_explained_and_nothing_is_stored(
    client, operator, msk, staff, media, name, content, message, registration_data
):
    client.force_login(operator)
    response = client.post(reverse("complaints:register"), {**registration_data(), "pages": [upload(name, content)]})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintPage.objects.exists() and not Customer.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert stored_files(media) == []


def test_a_future_received_moment_is_explained_and_nothing_is_stored(
    client, operator, msk, staff, media, registration_data
):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {**registration_data(received_at="2026-11-23T10:31"), "pages": [upload("page.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 200
    assert "A complaint cannot be received in the future." in response.content.decode()
    assert not Complaint.objects.exists() and stored_files(media) == []


def test_forwarding_ticked_without_a_manager_is_explained_and_nothing_is_stored(
    client, operator, msk, media, registration_data
):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"), {**registration_data(forward="on"), "pages": [upload("page.jpg", jpeg_bytes())]}
    )
    page = response.content.decode()
    assert "The branch MSK has no direct manager" in page and "Untick this box" in page
    assert not Complaint.objects.exists() and not OutboundEmail.objects.exists() and stored_files(media) == []


def test_every_missing_piece_is_named(client, operator, msk, staff, registration_data):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        registration_data(summary="", customer_name="", customer_phone="8 916 123-45-67", category=""),
    )
    page = response.content.decode()
    assert "Add a photo of the complaint book&#x27;s page." in page
    assert "enter the customer&#x27;s name" in page
    assert page.count("This field is required.") == 2, "summary and category"


def test_the_customer_lookup_names_the_known_customer(client, operator, msk, case):
    client.force_login(operator)
    found = client.get(reverse("complaints:customer-lookup"), {"branch": msk.pk, "customer_phone": case.phone[-7:]})
    assert "Ivan Ivanov" in found.content.decode()
    unknown = client.get(reverse("complaints:customer-lookup"), {"branch": msk.pk, "customer_phone": "+7 999 000"})
    assert "No customer of this branch" in unknown.content.decode()


def test_those_who_may_only_look_cannot_register_or_forward(client, onlooker, register):
    complaint = register(at(2026, 11, 23, 10, 0), now=NOW)
    client.force_login(onlooker)
    assert client.get(reverse("complaints:register")).status_code == 403
    assert client.post(reverse("complaints:forward", args=[complaint.pk])).status_code == 403
    assert client.get(complaint.get_absolute_url()).status_code == 200
    assert "Forward to the manager" not in client.get(complaint.get_absolute_url()).content.decode()


def test_a_customer_card_can_open_the_form_with_the_customer(client, operator, msk, case):
    client.force_login(operator)
    page = client.get(reverse("complaints:register"), {"customer": case.pk}).content.decode()
    assert f'value="{case.phone_display}"' in page
    assert (
        client.get(reverse("complaints:customer-lookup"), {"branch": "x", "customer_phone": "1234"}).status_code == 200
    )


def test_a_known_customer_is_found_by_another_spelling_of_the_phone(client, operator, msk, registration_data):
    known = CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567")
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        registration_data(customer_phone="+7 916 123 45 67", customer_name="", channel="phone", forward=""),
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.customer == known
    assert Customer.objects.count() == 1


def test_an_invalid_phone_is_a_form_error_with_the_others_and_creates_nothing(client, operator, msk, registration_data):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"), registration_data(customer_phone="12", summary="", channel="phone")
    )
    errors = response.context["form"].errors
    assert errors["customer_phone"] == ["“12” is not a valid phone number for RU."]
    assert "summary" in errors, "named together with the form's other errors"
    assert not Complaint.objects.exists() and not Customer.objects.exists()


@pytest.mark.parametrize(
    "received_at, message",
    [
        ("0001-01-01T00:00", "Choose days from 01.01.2000 to 31.12.2099."),
        ("1900-01-01T10:00", "Choose days from 01.01.2000 to 31.12.2099."),
        ("9999-12-31T23:59", "Choose days from 01.01.2000 to 31.12.2099."),
        (
            "2023-11-23T10:00",
            "A complaint received before 23.11.2023 (more than 1096 days ago) cannot be registered: check the date.",
        ),
    ],
    ids=["year-1", "1900", "year-9999", "over-three-years"],
)
def test_a_received_day_out_of_bounds_is_explained_and_nothing_is_stored(
    client, operator, msk, staff, media, registration_data, received_at, message
):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {**registration_data(received_at=received_at), "pages": [upload("page.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Complaint.objects.exists() and not Customer.objects.exists() and stored_files(media) == []


def test_a_complaint_received_before_the_branch_opened_is_explained(
    client, operator, msk, staff, media, registration_data
):
    msk.opened_on = at(2026, 11, 20, 0, 0).date()
    msk.save()
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {**registration_data(received_at="2026-11-19T18:00"), "pages": [upload("page.jpg", jpeg_bytes())]},
    )
    assert "Branch MSK opened on 20.11.2026: it cannot have received a complaint before." in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.postgres
def test_after_a_refused_year_1_complaint_every_page_still_answers(
    client, operator, msk, staff, root, registration_data, register
):
    """On PostgreSQL a year-1 day was stored as a date BC, and the register, the complaint page and the admin
    list then answered 500 for everyone: the refusal keeps them working."""
    kept = register(at(2026, 11, 23, 10, 0))
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {**registration_data(received_at="0001-01-01T00:00"), "pages": [upload("page.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 200 and "Choose days from 01.01.2000 to 31.12.2099." in response.content.decode()
    with pytest.raises(ValidationError):
        services.complaint_register(
            branch=msk,
            channel="phone",
            category="service",
            received_at=at(1, 1, 1, 0, 0),
            summary="x",
            registered_by=operator,
            customer_phone="+79161234567",
        )
    assert list(Complaint.objects.all()) == [kept]
    assert client.get(reverse("complaints:list")).status_code == 200
    assert client.get(kept.get_absolute_url()).status_code == 200
    client.force_login(root)
    assert client.get(reverse("admin:complaints_complaint_changelist")).status_code == 200


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_registering_and_forwarding_answers_at_once(
    client, operator, msk, staff, registration_data, private_broker, monkeypatch
):
    """The "send now" task is queued after the commit; with the broker down that must not hold the person's
    request (it took 19 s of retries), and the complaint is registered with its e-mail waiting in the outbox."""
    # A web process never imports the task modules: it queues the task by name, as here.
    monkeypatch.delitem(celery_app.tasks, TASK_NAME, raising=False)
    client.force_login(operator)

    def register(phone):
        data = {**registration_data(forward="on", customer_phone=phone), "pages": [upload("page.jpg", jpeg_bytes())]}
        return client.post(reverse("complaints:register"), data)

    private_broker.stop()
    started = time.monotonic()
    # The clock runs here: kombu gives up reconnecting after a time it reads from time.time(), which a clock
    # held still would never reach (the request then retried until the test's timeout).
    with time_machine.travel(NOW, tick=True):
        response = register("8 916 123-45-67")
    elapsed = time.monotonic() - started
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    assert elapsed < 2, f"the request waited {elapsed:.1f} s on the broker"
    assert OutboundEmail.objects.filter(object_id=complaint.pk, sent_at=None, failed_at=None).count() == 1
