"""Retention: what is past its period (admin-edited) is anonymised or removed, every run is audited, a dry run
says the same and writes nothing, and a second run finds nothing left."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import WebhookDelivery, WebhookEvent
from api.services import api_client_create
from api.webhooks.subscriptions import subscription_create
from callbacks.models import Callback, ContactAttempt
from complaints.models import Complaint, ComplaintPage, ReceivedEmail
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.directory.models import Customer
from privacy import tasks
from privacy.models import Kind, RetentionPeriod, RetentionRun
from privacy.retention import apply_retention
from tests.factories import UserFactory
from tests.privacy.conftest import THEN

pytestmark = pytest.mark.django_db

# 400 days later: past the e-mails' 90 days and the callbacks' 365, within the complaints' and audit's five years.
LATER = THEN + timedelta(days=400)


def snapshot():
    """What retention may change, as values."""
    return {
        "customers": list(Customer.objects.order_by("pk").values_list("full_name", "phone", "email", "notes")),
        "callbacks": list(Callback.objects.order_by("pk").values_list("customer_said", "resolution")),
        "attempts": list(ContactAttempt.objects.order_by("pk").values_list("note", flat=True)),
        "complaints": list(Complaint.objects.order_by("pk").values_list("summary", "answer_text")),
        "pages": list(ComplaintPage.objects.order_by("pk").values_list("image", flat=True)),
        "emails": list(OutboundEmail.objects.order_by("pk").values_list("text_body", "html_body", "attachments")),
        "audit": AuditEntry.objects.count(),
        "runs": RetentionRun.objects.count(),
    }


def test_a_dry_run_says_what_a_run_would_do_and_writes_nothing(old_data, media):
    before = snapshot()
    files = sorted(media.rglob("*.jpg"))
    with time_machine.travel(LATER, tick=False), CaptureQueriesContext(connection) as queries:
        out = StringIO()
        call_command("apply_retention", "--dry-run", stdout=out)
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert snapshot() == before
    assert sorted(media.rglob("*.jpg")) == files
    assert "Dry run, nothing changed" in out.getvalue()
    assert "closed callbacks anonymised: 1" in out.getvalue()
    assert "bodies of sent or given-up e-mails removed: 1" in out.getvalue()
    assert "customers anonymised: 1" in out.getvalue()
    assert "closed complaints anonymised: 0" in out.getvalue()


def test_a_run_anonymises_what_is_past_its_period_and_keeps_the_rest(old_data, django_capture_on_commit_callbacks):
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        figures = apply_retention()
    assert figures == {
        "email_bodies": 1,
        "callbacks": 1,
        "complaints": 0,
        "complaint_photos": 0,
        "customers": 1,
        "audit_entries": 0,
        "webhook_deliveries": 0,
        "webhook_events": 0,
    }
    solved = Callback.objects.get(pk=old_data["solved"].pk)
    assert (solved.customer_said, solved.resolution, solved.status) == ("", "", Callback.Status.SOLVED)
    assert ContactAttempt.objects.get(callback=solved).note == ""
    ivan = Customer.objects.get(pk=old_data["ivan"].pk)
    assert (ivan.full_name, ivan.phone, ivan.email) == ("(anonymised)", f"anon-{ivan.pk}", "")
    # Ivan's own history keeps what happened, not what his data was.
    assert AuditEntry.objects.get(pk=old_data["entry"].pk).changes == {}
    email = OutboundEmail.objects.get(pk=old_data["email"].pk)
    assert (email.text_body, email.html_body, email.attachments, email.to) == ("", "", [], ["boss@example.com"])
    # Maria has an open callback and a complaint closed within its five years: all hers is kept.
    maria = Customer.objects.get(pk=old_data["maria"].pk)
    assert (maria.full_name, maria.phone) == ("Maria Kuznetsova", "+79031112233")
    assert Callback.objects.get(pk=old_data["waiting"].pk).customer_said == "Wants a new card"
    assert Complaint.objects.get(pk=old_data["complaint"].pk).summary == "Rude consultant"
    assert default_storage.exists(old_data["page"].image.name)
    # Audited, and the run is recorded.
    run = RetentionRun.objects.get()
    assert run.figures == figures
    entry = AuditEntry.objects.get(action="privacy.retention_applied")
    assert entry.actor is None and "closed callbacks anonymised: 1" in entry.note
    # Nothing is left for a second run.
    with time_machine.travel(LATER, tick=False):
        assert set(apply_retention().values()) == {0}


def test_complaints_and_their_photos_go_after_their_own_period(old_data, django_capture_on_commit_callbacks):
    RetentionPeriod.objects.filter(kind=Kind.CLOSED_COMPLAINTS).update(days=1100)
    page = old_data["page"]
    arrival = ReceivedEmail.objects.create(
        message_id="<1@branch.example>",
        sender=old_data["solved"].branch.manager or UserFactory(username="writer"),
        from_address="writer@example.com",
        subject="Maria Kuznetsova: rude consultant",
        arrived_at=THEN,
        complaint=old_data["complaint"],
    )
    with time_machine.travel(THEN + timedelta(days=1101), tick=False), django_capture_on_commit_callbacks(execute=True):
        figures = apply_retention()
    assert (figures["complaints"], figures["complaint_photos"]) == (1, 1)
    complaint = Complaint.objects.get(pk=old_data["complaint"].pk)
    assert (complaint.summary, complaint.answer_text, complaint.register_number) == (
        "",
        "",
        old_data["complaint"].register_number,
    )
    assert not ComplaintPage.objects.filter(pk=page.pk).exists()
    assert not default_storage.exists(page.image.name) and not default_storage.exists(page.thumbnail.name)
    arrival.refresh_from_db()
    assert (arrival.subject, arrival.message_id) == ("", "<1@branch.example>")
    # Maria's callback is still open: she is kept.
    assert Customer.objects.get(pk=old_data["maria"].pk).full_name == "Maria Kuznetsova"


def test_audit_entries_are_removed_after_their_period(old_data):
    RetentionPeriod.objects.filter(kind=Kind.AUDIT_ENTRIES).update(days=365)
    with time_machine.travel(LATER, tick=False):
        figures = apply_retention()
    assert figures["audit_entries"] == 1
    assert not AuditEntry.objects.filter(pk=old_data["entry"].pk).exists()
    assert AuditEntry.objects.filter(action="privacy.retention_applied").count() == 1


def test_the_nightly_task_runs_the_same_rules(old_data):
    with time_machine.travel(LATER, tick=False):
        assert tasks.apply_retention()["callbacks"] == 1
    assert RetentionRun.objects.count() == 1


def test_nothing_happens_before_the_periods_end(old_data):
    before = snapshot()
    with time_machine.travel(THEN + timedelta(days=30), tick=False):
        assert set(apply_retention().values()) == {0}
    after = snapshot()
    assert after.pop("runs") == 1 and after.pop("audit") == before.pop("audit") + 1
    before.pop("runs")
    assert after == before


class TestWebhooks:
    """Delivered and given-up webhook deliveries go after their period (30 days), then the events left without
    any; a pending delivery is never removed and keeps its event."""

    @pytest.fixture
    def make_subscription(self, msk):
        client, _token = api_client_create(name="CRM", branches=[msk], scopes=["events:subscribe"], by=None)
        return lambda url: subscription_create(client=client, target_url=url, events=["case.created"], by=None)

    @pytest.fixture
    def webhooks(self, msk, make_subscription):
        subscription, other = make_subscription("https://crm.example.com/a"), make_subscription("https://b.example/")

        def event(number, **deliveries):
            made = WebhookEvent.objects.create(
                type="case.created", occurred_at=THEN, branch=msk, case_number=number, payload={"n": number}
            )
            for to, done in deliveries.items():
                WebhookDelivery.objects.create(
                    event=made,
                    subscription={"first": subscription, "second": other}[to],
                    created_at=THEN,
                    next_attempt_at=THEN,
                    **done,
                )
            return made

        return {
            "delivered": event("1", first={"sent_at": THEN}, second={"failed_at": THEN + timedelta(days=2)}),
            "half_pending": event("2", first={"sent_at": THEN}, second={}),
            "pending": event("3", first={"attempts": 5}),
            "recent": event("4", first={"sent_at": THEN + timedelta(days=20)}),
        }

    def test_a_dry_run_counts_them_and_a_run_removes_them_but_never_a_pending_one(self, webhooks):
        with time_machine.travel(THEN + timedelta(days=33), tick=False):
            before = WebhookDelivery.objects.count()
            planned = apply_retention(dry_run=True)
            assert (planned["webhook_deliveries"], planned["webhook_events"]) == (3, 1)
            assert WebhookDelivery.objects.count() == before and not RetentionRun.objects.exists()
            figures = apply_retention()
        assert (figures["webhook_deliveries"], figures["webhook_events"]) == (3, 1)
        assert RetentionRun.objects.get().figures["webhook_deliveries"] == 3
        assert "webhook events removed: 1" in AuditEntry.objects.get(action="privacy.retention_applied").note
        assert not WebhookEvent.objects.filter(pk=webhooks["delivered"].pk).exists()
        # The pending delivery stays with its event, whatever their age; the one delivered within 30 days too.
        left = set(WebhookDelivery.objects.values_list("event__case_number", "sent_at", "failed_at"))
        assert left == {("2", None, None), ("3", None, None), ("4", THEN + timedelta(days=20), None)}
        assert set(WebhookEvent.objects.values_list("case_number", flat=True)) == {"2", "3", "4"}
        with time_machine.travel(THEN + timedelta(days=33), tick=False):
            again = apply_retention()
        assert (again["webhook_deliveries"], again["webhook_events"]) == (0, 0)

    def test_their_period_is_edited_in_the_admin_with_a_minimum(self, webhooks):
        period = RetentionPeriod.objects.get(kind=Kind.WEBHOOK_DELIVERIES)
        assert period.days == 30
        period.days = 6
        with pytest.raises(ValidationError):
            period.full_clean()
        RetentionPeriod.objects.filter(kind=Kind.WEBHOOK_DELIVERIES).update(days=7)
        with time_machine.travel(THEN + timedelta(days=8), tick=False):
            assert apply_retention()["webhook_deliveries"] == 2
        with time_machine.travel(THEN + timedelta(days=6), tick=False):
            assert apply_retention()["webhook_deliveries"] == 0

    def test_the_removal_is_two_deletes_whatever_the_number_of_rows(self, webhooks):
        with time_machine.travel(THEN + timedelta(days=33), tick=False), CaptureQueriesContext(connection) as queries:
            apply_retention()
        deletes = [q["sql"] for q in queries if q["sql"].upper().startswith("DELETE") and "webhook" in q["sql"]]
        assert len(deletes) == 2, deletes
        assert not [q["sql"] for q in queries if "SELECT" in q["sql"] and '"payload"' in q["sql"]]
