"""The admin shows the register read-only: changes go through the services (numbers, clocks, audit), also from
its actions (forward, assign)."""

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from complaints.models import (
    ANSWER_CLOCK,
    Complaint,
    ComplaintForwarding,
    ComplaintPage,
    RegisterCounter,
    Status,
)
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests import admin_pages as pages
from tests.factories import BranchFactory, ComplaintFactory
from tests.moments import moscow as at


def test_the_register_is_shown_but_not_editable(admin_client, register, staff):
    complaint = register(forward=True)
    changelist = admin_client.get(reverse("admin:complaints_complaint_changelist"), {"q": "MSK-2026"})
    assert complaint.register_number in changelist.content.decode()
    change = admin_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    page = change.content.decode()
    assert change.status_code == 200
    assert complaint.pages.get().get_absolute_url() in page, "photos through the checking view"
    assert "/media-is-not-public/" not in page
    assert admin_client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    assert admin_client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk])).status_code == 403
    assert admin_client.get(reverse("admin:complaints_registercounter_changelist")).status_code == 200


def test_outbound_emails_are_listed_and_can_be_retried(admin_client, register, staff):
    register(forward=True)
    email = OutboundEmail.objects.get()
    assert admin_client.get(reverse("admin:alerts_outboundemail_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:alerts_outboundemail_change", args=[email.pk])).status_code == 200
    response = admin_client.post(
        reverse("admin:alerts_outboundemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
        follow=True,
    )
    assert "1 e-mail will be sent again." in response.content.decode()


# --- every list: filters, search, cost -----------------------------------------------------------------------

NOW = at(2026, 11, 23, 10, 30)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def add_complaints(register, msk, bud, staff, now):
    """Four complaints: one forwarded (its e-mail waiting), one with the same photo again, one in Budapest, and
    last year's one in review."""

    def add():
        register(forward=True)
        register()
        register(branch=bud, phone="+36301234567", name="Zsófia Kovács")
        ComplaintFactory(branch=msk, year=2025, status=Status.IN_REVIEW, assigned_to=staff["supervisor"])

    return add


def add_counters():
    RegisterCounter.objects.create(branch=BranchFactory(), year=2026, last_number=3)


MODELS = [Complaint, ComplaintPage, ComplaintForwarding, RegisterCounter]


@pytest.mark.parametrize("model", MODELS)
def test_every_list_filter_opens_and_matches(admin_client, add_complaints, model):
    add_complaints()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", MODELS)
def test_a_list_costs_the_same_for_more_rows(admin_client, add_complaints, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_counters if model is RegisterCounter else add_complaints)


def test_the_lists_are_searched(admin_client, add_complaints, staff):
    add_complaints()
    budapest = Complaint.objects.get(branch__code="BUD")
    assert pages.shown(admin_client.get(pages.changelist(Complaint), {"q": "Kovács"})) == [budapest]
    in_review = pages.shown(admin_client.get(pages.changelist(Complaint), {"assigned_to__isempty": "0"}))
    assert [complaint.assigned_to for complaint in in_review] == [staff["supervisor"]]
    assert pages.shown(admin_client.get(pages.changelist(Complaint), {"q": budapest.register_number})) == [budapest]
    found = pages.shown(admin_client.get(pages.changelist(ComplaintPage), {"q": budapest.register_number}))
    assert [page.complaint for page in found] == [budapest]
    found = pages.shown(admin_client.get(pages.changelist(ComplaintForwarding), {"q": staff["manager"].email}))
    assert [forwarding.complaint.register_number for forwarding in found] == ["MSK-2026-00001"]
    assert pages.shown(admin_client.get(pages.changelist(ComplaintForwarding), {"q": "nobody@example.com"})) == []
    assert [str(c) for c in pages.shown(admin_client.get(pages.changelist(RegisterCounter), {"q": "BUD"}))] == [
        "BUD-2026: 1"
    ]


def test_the_duplicate_filter_shows_the_photos_sent_again(admin_client, add_complaints):
    add_complaints()
    duplicates = pages.shown(admin_client.get(pages.changelist(ComplaintPage), {"duplicate_of__isempty": "0"}))
    assert [page.complaint.register_number for page in duplicates] == ["MSK-2026-00002"]


@pytest.mark.parametrize("model", [ComplaintPage, ComplaintForwarding])
def test_pages_and_forwardings_are_shown_but_not_edited(admin_client, add_complaints, model):
    add_complaints()
    row = model.objects.first()
    response = admin_client.get(pages.change_page(row))
    assert response.status_code == 200
    assert "/media-is-not-public/" not in response.content.decode(), "photos only through the checking view"
    assert admin_client.get(pages.add_page(model)).status_code == 403
    assert admin_client.post(pages.change_page(row), {}).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403


# --- Forward to the branch's manager ------------------------------------------------------------------------


def act(client, action, complaints, **data):
    return client.post(
        pages.changelist(Complaint),
        {"action": action, "_selected_action": [complaint.pk for complaint in complaints], **data},
        follow=action == "forward_to_manager" or "apply" in data,
    )


def texts(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def audited(action) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(action=action).order_by("pk")
    return [(entry.target_repr, entry.actor.username if entry.actor else None) for entry in entries]


def test_forwarding_queues_each_possible_one_and_says_why_the_others_were_not(admin_client, register, bud, now):
    first, second = register(), register()
    waiting = register(forward=True)
    budapest = register(branch=bud, phone="+36301234567")
    response = act(admin_client, "forward_to_manager", [first, second, waiting, budapest])
    assert texts(response) == [
        (
            "error",
            "MSK-2026-00003 was not forwarded: This complaint is already on its way to the manager; it goes as soon "
            "as the mail server answers.",
        ),
        (
            "error",
            "BUD-2026-00001 was not forwarded: The branch BUD has no direct manager to forward complaints to; an "
            "administrator must set one first.",
        ),
        (
            "success",
            "2 complaints are on their way: MSK-2026-00001 to boss@example.com; MSK-2026-00002 to boss@example.com. "
            "Each forwarding counts once the mail server has accepted it.",
        ),
    ]
    assert [(f.complaint_id, f.requested_by.username) for f in ComplaintForwarding.objects.order_by("pk")] == [
        (waiting.pk, "op"),
        (first.pk, "root"),
        (second.pk, "root"),
    ]
    assert audited("complaint.forward_requested") == [
        ("MSK-2026-00003", "op"),
        ("MSK-2026-00001", "root"),
        ("MSK-2026-00002", "root"),
    ]
    assert OutboundEmail.objects.count() == 3
    assert not budapest.forwardings.exists()


def test_forwarding_needs_the_permission(client, register, staff, now):
    complaint = register()
    client.force_login(pages.staff_with("complaints.view_complaint", username="looker-staff"))
    assert pages.actions_offered(client, Complaint) == set()
    act(client, "forward_to_manager", [complaint])
    assert not complaint.forwardings.exists()
    assert not AuditEntry.objects.filter(action="complaint.forward_requested").exists()

    client.force_login(pages.staff_with("complaints.view_complaint", "complaints.forward_complaint", username="clerk"))
    assert pages.actions_offered(client, Complaint) == {"forward_to_manager"}
    act(client, "forward_to_manager", [complaint])
    assert complaint.forwardings.get().requested_by.username == "clerk"


# --- Assign to… ---------------------------------------------------------------------------------------------


@pytest.fixture
def forwarded(register, smtp_server, now):
    complaint = register(forward=True)
    send_outbound_emails()
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED
    return complaint


def test_assigning_asks_for_someone_who_may_review_in_the_branch(admin_client, forwarded, staff, stranger):
    response = act(admin_client, "assign_to", [forwarded])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_choice.html"
    choices = set(response.context["form"].fields["to"].queryset)
    assert {staff["manager"], staff["supervisor"], staff["deputy"]} <= choices
    assert staff["owner"] not in choices and stranger not in choices
    assert not AuditEntry.objects.filter(action="complaint.assigned").exists(), "asking changes nothing"


def test_assigning_takes_each_allowed_complaint_into_review_and_refuses_the_others(
    admin_client, forwarded, register, staff
):
    registered = register()
    reviewer = staff["supervisor"]
    response = act(admin_client, "assign_to", [forwarded, registered], apply="yes", to=reviewer.pk)
    assert texts(response) == [
        (
            "error",
            "MSK-2026-00002 was not assigned: A complaint is taken into review once it has been forwarded; this one "
            "is registered.",
        ),
        ("success", f"1 complaint is in review by {reviewer}: MSK-2026-00001."),
    ]
    forwarded.refresh_from_db()
    registered.refresh_from_db()
    assert (forwarded.status, forwarded.assigned_to) == (Status.IN_REVIEW, reviewer)
    assert Deadline.objects.for_case(forwarded).open().get(kind=ANSWER_CLOCK).owner == reviewer
    assert (registered.status, registered.assigned_to) == (Status.REGISTERED, None)
    assert audited("complaint.assigned") == [("MSK-2026-00001", "root")]


def test_someone_who_may_not_review_is_not_accepted(admin_client, forwarded, staff):
    response = act(admin_client, "assign_to", [forwarded], apply="yes", to=staff["owner"].pk)
    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    forwarded.refresh_from_db()
    assert (forwarded.status, forwarded.assigned_to) == (Status.FORWARDED, None)
    assert not AuditEntry.objects.filter(action="complaint.assigned").exists()


def test_assigning_needs_the_permission(client, forwarded, staff):
    client.force_login(pages.staff_with("complaints.view_complaint", "complaints.forward_complaint", username="clerk"))
    assert "assign_to" not in pages.actions_offered(client, Complaint)
    act(client, "assign_to", [forwarded], apply="yes", to=staff["manager"].pk)
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED
    assert not AuditEntry.objects.filter(action="complaint.assigned").exists()

    client.force_login(
        pages.staff_with("complaints.view_complaint", "complaints.change_complaint", username="lead-staff")
    )
    assert "assign_to" in pages.actions_offered(client, Complaint)
    act(client, "assign_to", [forwarded], apply="yes", to=staff["manager"].pk)
    forwarded.refresh_from_db()
    assert forwarded.assigned_to == staff["manager"]


def test_a_deactivated_reviewer_is_neither_offered_nor_accepted(admin_client, forwarded, staff):
    gone = staff["supervisor"]
    gone.is_active = False
    gone.save()
    assert gone not in act(admin_client, "assign_to", [forwarded]).context["form"].fields["to"].queryset
    response = act(admin_client, "assign_to", [forwarded], apply="yes", to=gone.pk)
    assert "to" in response.context["form"].errors
    forwarded.refresh_from_db()
    assert (forwarded.status, forwarded.assigned_to) == (Status.FORWARDED, None)
