"""The same message delivered twice at the same moment (the MTA's pipe and the IMAP poller, two pollers): one
complaint, one reply; the unique Message-ID decides at the insert."""

from functools import partial

import pytest
import time_machine

from complaints.models import Complaint, ComplaintPage, ReceivedEmail
from complaints.services.email_intake import complaint_receive_email
from contactcenter.alerts.models import OutboundEmail
from tests.complaints.clock_policies import make_clock_policies
from tests.complaints.mail_messages import complaint_message, page_jpeg
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.moments import moscow as at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_deliveries_of_one_message_make_one_complaint(msk):
    make_clock_policies()
    UserFactory(username="clerk", role="Operator", branches=[msk], email="clerk@branch.example")
    raw = bytes(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))

    def deliver():
        with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
            return complaint_receive_email(raw=raw).outcome

    outcomes, errors = at_once(*[partial(deliver) for _ in range(4)])
    assert not errors
    assert sorted(outcomes) == ["ignored", "ignored", "ignored", "registered"]
    assert Complaint.objects.count() == 1 and ReceivedEmail.objects.count() == 1
    assert ComplaintPage.objects.count() == 1
    assert OutboundEmail.objects.filter(purpose="complaint.email_reply").count() == 1
