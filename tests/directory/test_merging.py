"""Two records of one customer merged by a supervisor: every case moves, the merge is audited, nothing is lost."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from callbacks import services as callback_services
from callbacks.models import Callback, CallbackReason, ContactAttempt
from complaints.models import Complaint
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.services import open_clock
from contactcenter.directory import merging, services
from contactcenter.directory.models import Customer
from escalations.models import Escalation
from tests.complaints.sample_files import jpeg_bytes, upload
from tests.factories import CallbackFactory, ContactAttemptFactory, CustomerFactory, EscalationFactory, UserFactory
from tests.moments import moscow as at

NOW = at(2026, 11, 24, 12, 0)
LATER = timezone.now() + timedelta(days=3)

# Every kind of row that points at a customer today. A new one makes this test fail until the test below
# creates one of it on the removed record and checks that it moved.
EXPECTED_LINKS = {
    "callbacks.callback.customer_id",
    "complaints.complaint.customer_id",
    "escalations.escalation.customer_id",
    "directory.customer.merged_into_id",
    "deadlines.deadline.object_id",
    "alerts.outboundemail.object_id",
    "feedback.questionnaire.customer_id",
}


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def kept(msk):
    return CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567", notes="Calls after 18:00.")


@pytest.fixture
def twin(msk):
    """The same person registered again with a typo in the number."""
    return CustomerFactory(
        branch=msk, full_name="Maria Petrova", phone="+79161234568", email="maria@example.com", notes="Deaf ear."
    )


def one_case_of_every_kind(branch, customer, by):
    from complaints import services as complaint_services
    from complaints.photos import prepare_photo

    callback = CallbackFactory(branch=branch, customer=customer)
    ContactAttemptFactory(callback=callback, by=by)
    with time_machine.travel(NOW, tick=False):
        complaint = complaint_services.complaint_register(
            branch=branch,
            channel="complaint_book",
            category="service",
            received_at=NOW,
            summary="Waited an hour.",
            registered_by=by,
            customer=customer,
            pages=[prepare_photo(upload("page.jpg", jpeg_bytes()))],
        )
    escalation = EscalationFactory(branch=branch, customer=customer)
    clock = open_clock(case=customer, kind="test_clock", branch=branch, due_at=LATER, title="A written request")
    older_twin = CustomerFactory(branch=branch, full_name="M. Petrova", phone="+79161234569")
    older_twin.merged_into = customer
    older_twin.save()
    return {"callback": callback, "complaint": complaint, "escalation": escalation, "clock": clock, "old": older_twin}


def test_the_links_found_are_every_relation_to_a_customer(db):
    assert {link.key for link in merging.customer_links()} == EXPECTED_LINKS


def test_every_case_of_every_kind_moves_to_the_record_kept(msk, supervisor, kept, twin, policy):
    cases = one_case_of_every_kind(msk, twin, supervisor)
    preview = merging.customer_merge_preview(keep=kept, remove=twin)
    assert preview.total == 5

    moved = merging.customer_merge(keep=kept, remove=twin, by=supervisor, note="Typo in the number")

    assert Callback.objects.get(pk=cases["callback"].pk).customer == kept
    assert ContactAttempt.objects.get(callback=cases["callback"]).callback.customer == kept
    assert Complaint.objects.get(pk=cases["complaint"].pk).customer == kept
    assert Escalation.objects.get(pk=cases["escalation"].pk).customer == kept
    assert Deadline.objects.get(pk=cases["clock"].pk).object_id == kept.pk
    assert Customer.objects.get(pk=cases["old"].pk).merged_into == kept
    for link in merging.customer_links():
        assert not link.rows(twin).exists(), link.key
    assert moved["callbacks.callback.customer_id"] == [cases["callback"].pk]

    twin.refresh_from_db()
    kept.refresh_from_db()
    assert twin.merged_into == kept and twin.merged_at is not None
    # What the kept record lacked comes from the removed one; nothing it had is overwritten.
    assert kept.email == "maria@example.com"
    assert kept.phone == "+79161234567"
    assert kept.notes == "Calls after 18:00.\n\nDeaf ear."

    entry = AuditEntry.objects.for_target(kept).get(action="customer.merged")
    assert entry.actor == supervisor and entry.note == "Typo in the number"
    removed_data = entry.changes["merged_record"][0]
    assert removed_data["phone"] == "+79161234568" and removed_data["email"] == "maria@example.com"
    assert removed_data["notes"] == "Deaf ear."
    assert entry.changes["moved"][1]["complaints.complaint.customer_id"] == [cases["complaint"].pk]
    assert entry.changes["email"] == ["", "maria@example.com"]
    assert AuditEntry.objects.for_target(twin).filter(action="customer.merged_into").exists()


def test_the_merged_record_leads_to_the_kept_one(client, msk, supervisor, kept, twin):
    merging.customer_merge(keep=kept, remove=twin, by=supervisor)
    # Its number finds the kept record, so a new case goes there.
    customer, registered = services.customer_find_or_register(branch=msk, phone="8 916 123-45-68", by=supervisor)
    assert (customer, registered) == (kept, False)
    callback = callback_services.callback_register(
        branch=msk,
        customer_phone="+7 916 123 45 68",
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Again",
        created_by=supervisor,
    )
    assert callback.customer == kept
    # It is no longer listed, searched or shown; its page leads to the kept one.
    assert list(Customer.objects.for_user(supervisor)) == [kept]
    assert list(Customer.objects.search("4568", ["RU"])) == []
    client.force_login(supervisor)
    response = client.get(twin.get_absolute_url())
    assert response.status_code == 302 and response.url == kept.get_absolute_url()
    page = client.get(kept.get_absolute_url()).content.decode()
    assert "merged the record of Maria Petrova (+79161234568, registered " in page
    assert "customer.merged" not in page, "the history reads as sentences, not event codes"


def test_refusals_change_nothing(msk, bud, supervisor, operator, kept, twin):
    callback = CallbackFactory(branch=msk, customer=twin)
    theirs = CustomerFactory(branch=bud, phone="+36301234567")
    with pytest.raises(PermissionDenied):
        merging.customer_merge(keep=kept, remove=twin, by=operator)
    for keep, remove in [(kept, kept), (kept, theirs)]:
        with pytest.raises(ValidationError):
            merging.customer_merge(keep=keep, remove=remove, by=supervisor)
    merging.customer_merge(keep=kept, remove=twin, by=supervisor)
    with pytest.raises(ValidationError, match="merged already"):
        merging.customer_merge(keep=twin, remove=kept, by=supervisor)
    assert Callback.objects.get(pk=callback.pk).customer == kept
    assert AuditEntry.objects.filter(action="customer.merged").count() == 1


def test_two_open_clocks_of_one_kind_refuse_the_merge_and_change_nothing(msk, supervisor, kept, twin, policy):
    for customer in (kept, twin):
        open_clock(case=customer, kind="test_clock", branch=msk, due_at=LATER, title="A written request")
    callback = CallbackFactory(branch=msk, customer=twin)
    with pytest.raises(ValidationError, match="cannot be merged"):
        merging.customer_merge(keep=kept, remove=twin, by=supervisor)
    assert Callback.objects.get(pk=callback.pk).customer == twin
    twin.refresh_from_db()
    assert twin.merged_into is None


def test_the_merge_page_journey(client, msk, supervisor, kept, twin):
    CallbackFactory.create_batch(2, branch=msk, customer=twin)
    client.force_login(supervisor)
    url = reverse("directory:customer-merge", args=[kept.pk])
    assert url in client.get(kept.get_absolute_url()).content.decode()

    suggestions = client.get(url).content.decode()
    assert f"?other={twin.pk}" in suggestions  # the same name: suggested without a search
    found = client.get(url, {"q": "4568"}).content.decode()
    assert f"?other={twin.pk}" in found

    preview = html.unescape(client.get(url, {"other": twin.pk}).content.decode())
    assert f"Keeping #{kept.pk}: what moves from #{twin.pk}" in preview
    assert "callbacks: 2" in preview

    unconfirmed = client.post(url, {"other": twin.pk, "keep": kept.pk})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in html.unescape(unconfirmed.content.decode())
    assert Customer.objects.get(pk=twin.pk).merged_into is None

    done = client.post(url, {"other": twin.pk, "keep": twin.pk, "confirm": "on", "note": "Same person"})
    assert done.status_code == 302 and done.url == twin.get_absolute_url()
    assert Customer.objects.get(pk=kept.pk).merged_into_id == twin.pk
    assert Callback.objects.filter(customer=twin).count() == 2


def test_the_merge_page_is_for_supervisors_and_their_branch(client, msk, bud, operator, supervisor, kept):
    theirs = CustomerFactory(branch=bud, phone="+36301234567")
    client.force_login(operator)
    assert client.get(reverse("directory:customer-merge", args=[kept.pk])).status_code == 403
    assert "Merge with another record" not in client.get(kept.get_absolute_url()).content.decode()
    client.force_login(supervisor)
    assert client.get(reverse("directory:customer-merge", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("directory:customer-merge", args=[kept.pk]), {"other": theirs.pk})
    assert response.status_code == 302
    assert (
        client.post(
            reverse("directory:customer-merge", args=[kept.pk]), {"other": "x", "keep": kept.pk, "confirm": "on"}
        ).status_code
        == 302
    )
    assert Customer.objects.filter(merged_into__isnull=False).count() == 0


def test_the_merge_page_speaks_russian(client, msk, supervisor, kept, twin):
    supervisor.language = "ru"
    supervisor.save()
    client.force_login(supervisor)
    url = reverse("directory:customer-merge", args=[kept.pk])
    assert "Похожие записи" in client.get(url).content.decode()
    page = client.get(url, {"other": twin.pk}).content.decode()
    assert "Объединить записи" in page and f"Если сохранить №{kept.pk}" in page
