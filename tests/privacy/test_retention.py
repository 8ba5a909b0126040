"""Retention: what is past its period (admin-edited) is anonymised or removed, every run is audited, a dry run
says the same and writes nothing, and a second run finds nothing left."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
