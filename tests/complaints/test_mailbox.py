"""The complaint mailbox read over IMAP (SSL) from a real server: a private dovecot started by the test."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError

from complaints import tasks
from complaints.mailbox import Mailbox, poll_mailbox
from complaints.models import Complaint, ReceivedEmail
from contactcenter.alerts.models import OutboundEmail
from tests.complaints.mail_messages import complaint_message, page_jpeg
from tests.factories import UserFactory
from tests.imap import PrivateDovecot
from tests.moments import moscow as at

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture
def dovecot(settings):
    server = PrivateDovecot()
    server.start()
    settings.IMAP_URL = server.url
    settings.IMAP_CA_FILE = str(server.cert_path)
    yield server
    server.stop()


@pytest.fixture
def employee(msk, staff):
    return UserFactory(username="clerk", role="Operator", branches=[msk], email="clerk@branch.example")


def test_unread_messages_become_drafts_refusals_or_nothing_and_are_marked_read(dovecot, employee):
    arrived = NOW - timedelta(minutes=5)
    dovecot.deliver(
        bytes(complaint_message(sender="clerk@branch.example", date=NOW - timedelta(hours=1), attached=[page_jpeg()])),
        when=arrived,
    )
    dovecot.deliver(bytes(complaint_message(sender="clerk@branch.example")), when=arrived)
    dovecot.deliver(bytes(complaint_message(sender="stranger@elsewhere.example", attached=[page_jpeg()])), when=arrived)

    with time_machine.travel(NOW, tick=False):
        result = poll_mailbox()

    assert result.outcomes == {"registered": 1, "refused": 1, "ignored": 1} and result.failed == 0
    complaint = Complaint.objects.get()
    assert complaint.is_draft and complaint.branch == employee.branches.get()
    assert complaint.received_at == NOW - timedelta(hours=1)
    assert ReceivedEmail.objects.get().arrived_at == arrived
    assert OutboundEmail.objects.filter(purpose="complaint.email_reply").count() == 2
    assert all(b"\\Seen" in flags for flags in dovecot.flags())

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert poll_mailbox().read == 0  # nothing unread is left
    assert Complaint.objects.count() == 1


def test_the_date_is_bounded_by_the_moment_the_server_received_the_message(dovecot, employee):
    arrived = NOW - timedelta(minutes=30)
    message = complaint_message(sender="clerk@branch.example", date=NOW, attached=[page_jpeg()])
    dovecot.deliver(bytes(message), when=arrived)
    with time_machine.travel(NOW, tick=False):
        poll_mailbox()
    assert Complaint.objects.get().received_at == arrived


def test_a_message_whose_reading_failed_stays_unread_for_the_next_run(dovecot, employee, monkeypatch):
    dovecot.deliver(bytes(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()])))

    def database_down(**kwargs):
        raise OperationalError("the database is down")

    with monkeypatch.context() as patch:
        patch.setattr("complaints.mailbox.complaint_receive_email", database_down)
        assert poll_mailbox().failed == 1
    assert not any(b"\\Seen" in flags for flags in dovecot.flags())

    assert poll_mailbox().outcomes == {"registered": 1}
    assert Complaint.objects.count() == 1


def test_the_same_message_in_the_mailbox_twice_makes_one_complaint(dovecot, employee):
    message = bytes(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))
    dovecot.deliver(message)
    dovecot.deliver(message)
    assert poll_mailbox().outcomes == {"registered": 1, "ignored": 1}
    assert Complaint.objects.count() == 1


def test_the_certificate_is_checked(dovecot, employee, settings):
    import ssl

    settings.IMAP_CA_FILE = ""
    with pytest.raises(ssl.SSLCertVerificationError):
        poll_mailbox()


def test_the_task_does_nothing_without_a_mailbox(settings):
    settings.IMAP_URL = ""
    assert tasks.poll_mailbox() == {"skipped": "IMAP_URL is not set"}


def test_the_task_reads_the_mailbox_when_one_is_set(dovecot, employee):
    dovecot.deliver(bytes(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()])))
    assert tasks.poll_mailbox() == {"registered": 1, "failed": 0}


@pytest.mark.parametrize(
    "url", ["imap://intake:secret@127.0.0.1:143/INBOX", "imaps://127.0.0.1/INBOX"], ids=["no-ssl", "no-user"]
)
def test_a_mailbox_without_ssl_or_user_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        Mailbox.from_url(url)


def test_the_url_gives_an_encoded_password_and_the_folder():
    mailbox = Mailbox.from_url("imaps://intake%40branch:p%40ss%2Fword@mail.example:1993/Complaints")
    assert (mailbox.user, mailbox.password, mailbox.host, mailbox.port, mailbox.folder) == (
        "intake@branch",
        "p@ss/word",
        "mail.example",
        1993,
        "Complaints",
    )
