"""What a complaint's status allows: its page offers exactly the steps of the transitions table, and a step the
status does not allow, posted anyway, is refused with a message and changes nothing."""

import pytest
from django.urls import reverse

from complaints.models import Complaint, Status
from complaints.services import transitions
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests.complaints.sample_files import jpeg_bytes, upload
from tests.moments import moscow as at

# The page's actions, by the step of the table each one is (the extension of the legal term is a change).
ACTIONS_OF_STEP = {
    "forward": ["forward"],
    "assign": ["assign"],
    "answer": ["answer"],
    "close": ["close"],
    "reopen": ["reopen"],
    "change": ["edit", "add-pages", "extend"],
}

# What the branch manager (who may take every step) is offered on the page, the legal term still running.
OFFERED = {
    Status.REGISTERED: {"forward", "edit", "add-pages", "extend"},
    Status.FORWARDED: {"assign", "edit", "add-pages", "extend"},
    Status.IN_REVIEW: {"assign", "answer", "edit", "add-pages", "extend"},
    Status.ANSWERED: {"close", "reopen", "edit", "add-pages", "extend"},
    Status.CLOSED: {"reopen"},
}


@pytest.fixture
def complaint_in(register, msk):
    """A complaint of a financial organisation (so that its legal term can be extended), put in ``status``."""
    msk.is_financial_organisation = True
    msk.save()
    complaint = register(at(2026, 11, 23, 10, 0), now=at(2026, 11, 23, 10, 1))

    def put(status):
        Complaint.objects.filter(pk=complaint.pk).update(status=status)
        return Complaint.objects.get(pk=complaint.pk)

    return put


def offered(page: str, complaint) -> set[str]:
    names = {name for names in ACTIONS_OF_STEP.values() for name in names}
    return {name for name in names if f'action="{reverse(f"complaints:{name}", args=[complaint.pk])}"' in page}


@pytest.mark.parametrize("status", Status.values)
def test_the_page_offers_exactly_what_the_table_allows(client, complaint_in, staff, status):
    complaint = complaint_in(status)
    client.force_login(staff["manager"])
    page = client.get(complaint.get_absolute_url()).content.decode()
    allowed = {name for step, names in ACTIONS_OF_STEP.items() if transitions.allows(complaint, step) for name in names}
    assert offered(page, complaint) == allowed
    assert allowed == OFFERED[status], "the table itself says what the register's rules say"


def step_data(name, staff):
    return {
        "forward": {},
        "assign": {"assigned_to": staff["manager"].pk},
        "answer": {"answer_text": "We apologise.", "answer_channel": "letter", "answered_at": "2026-11-23T10:20"},
        "close": {"note": ""},
        "reopen": {"reason": "The customer wrote again."},
        "edit": {"category": "service", "summary": "Another summary"},
        "add-pages": {"pages": [upload("more.jpg", jpeg_bytes(color="red"))]},
        "extend": {"days": 5, "reason": "Waiting for the bank's records", "customer_told_on": "2026-11-23"},
    }[name]


def state_of(complaint):
    row = Complaint.objects.get(pk=complaint.pk)
    clocks = Deadline.objects.for_case(row).order_by("pk").values_list("kind", "state", "due_at")
    return {
        "row": (row.status, row.assigned_to_id, row.summary, row.answered_at, row.legal_extension_days),
        "pages": row.pages.count(),
        "clocks": list(clocks),
        "audit": AuditEntry.objects.count(),
        "emails": OutboundEmail.objects.count(),
    }


REFUSED = [
    (status, step, name)
    for status in Status.values
    for step, names in ACTIONS_OF_STEP.items()
    for name in names
    if status not in transitions.ALLOWED[step][0]
]


@pytest.mark.parametrize(("status", "step", "name"), REFUSED, ids=[f"{s}-{n}" for s, _step, n in REFUSED])
def test_a_step_the_status_does_not_allow_is_refused_with_a_message_and_changes_nothing(
    client, complaint_in, staff, status, step, name
):
    complaint = complaint_in(status)
    before = state_of(complaint)
    client.force_login(staff["manager"])
    response = client.post(reverse(f"complaints:{name}", args=[complaint.pk]), step_data(name, staff), follow=True)
    message = str(transitions.ALLOWED[step][1]) % {
        "status": Complaint.objects.get(pk=complaint.pk).get_status_display()
    }
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"Nothing was changed: {message}"]
    assert state_of(complaint) == before


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_an_accepted_step_says_so_on_the_complaints_page(client, complaint_in, staff):
    complaint = complaint_in(Status.REGISTERED)
    client.force_login(staff["manager"])
    response = client.post(
        reverse("complaints:edit", args=[complaint.pk]), {"category": "service", "summary": "Corrected"}
    )
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    assert messages_of(client.get(response.url)) == ["Changes saved."]
    assert Complaint.objects.get(pk=complaint.pk).summary == "Corrected"


def test_a_refusal_about_a_field_is_shown_on_the_form_in_the_page_again(client, complaint_in, staff):
    complaint = complaint_in(Status.IN_REVIEW)
    before = state_of(complaint)
    client.force_login(staff["manager"])
    response = client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {"answer_text": "We apologise.", "answer_channel": "letter", "answered_at": "2026-11-23T09:00"},
    )
    assert response.status_code == 400
    assert response.context["answer_form"].errors["answered_at"] == [
        "An answer cannot come before the complaint was received."
    ]
    assert messages_of(response) == ["Nothing was changed: see what is wrong below."]
    assert state_of(complaint) == before


def test_a_refused_button_says_why_on_the_complaints_page(client, complaint_in, staff, msk):
    complaint = complaint_in(Status.REGISTERED)
    msk.manager = None
    msk.save()
    before = state_of(complaint)
    client.force_login(staff["supervisor"])
    response = client.post(reverse("complaints:forward", args=[complaint.pk]))
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    (message,) = messages_of(client.get(response.url))
    assert message.startswith("Nothing was changed: The branch MSK has no direct manager")
    assert state_of(complaint) == before
