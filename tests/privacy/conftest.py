"""A customer's data of several ages: what retention keeps and what it removes."""

import hashlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from callbacks.models import Callback
from complaints.models import ComplaintForwarding, ComplaintPage
from complaints.models import Status as ComplaintStatus
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.services import record_audit
from tests.complaints.sample_files import jpeg_bytes
from tests.factories import CallbackFactory, ComplaintFactory, ContactAttemptFactory, CustomerFactory

THEN = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def photographed(complaint, position=1):
    photo = jpeg_bytes()
    return ComplaintPage.objects.create(
        complaint=complaint,
        position=position,
        image=default_storage.save(f"complaints/pages/c{complaint.pk}-{position}.jpg", ContentFile(photo)),
        thumbnail=default_storage.save(f"complaints/thumbnails/c{complaint.pk}-{position}.jpg", ContentFile(photo)),
        original_name="page.jpg",
        size=len(photo),
        width=320,
        height=240,
        sha256=hashlib.sha256(photo).hexdigest(),
    )


@pytest.fixture
def old_data(msk, operator):
    """Made on 12 January 2026: Ivan, whose only callback was solved that day; Maria, with an open callback and
    a complaint closed that day (photographed and forwarded by an e-mail sent that day); an audit entry."""
    with time_machine.travel(THEN, tick=False):
        ivan = CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567", email="ivan@example.com")
        solved = CallbackFactory(
            branch=msk,
            customer=ivan,
            customer_said="Card blocked abroad",
            status=Callback.Status.SOLVED,
            resolution="Unblocked it",
            closed_at=THEN,
        )
        ContactAttemptFactory(callback=solved, at=THEN, note="Called from Antalya")
        maria = CustomerFactory(branch=msk, full_name="Maria Kuznetsova", phone="+79031112233")
        waiting = CallbackFactory(branch=msk, customer=maria, customer_said="Wants a new card")
        complaint = ComplaintFactory(
            branch=msk,
            customer=maria,
            summary="Rude consultant",
            status=ComplaintStatus.CLOSED,
            answer_text="We apologise",
            closed_at=THEN,
        )
        page = photographed(complaint)
        email = OutboundEmail.objects.create(
            purpose="complaint.forwarding",
            to=["boss@example.com"],
            subject="Complaint",
            text_body="Maria Kuznetsova writes: rude consultant",
            html_body="<p>Maria Kuznetsova</p>",
            attachments=[{"path": page.image.name, "name": "page.jpg", "content_type": "image/jpeg"}],
            sent_at=THEN,
        )
        ComplaintForwarding.objects.create(complaint=complaint, email=email, to=email.to)
        entry = record_audit(actor=operator, action="customer.updated", target=ivan, changes={"email": ["", "x"]})
    return {
        "ivan": ivan,
        "solved": solved,
        "maria": maria,
        "waiting": waiting,
        "complaint": complaint,
        "page": page,
        "email": email,
        "entry": entry,
    }
