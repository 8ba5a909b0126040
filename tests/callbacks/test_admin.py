"""Callbacks in the admin: lists whose cost does not grow with their rows, and "Reassign to…" through the service."""

import pytest
from django.contrib.messages import get_messages

from callbacks import services
from callbacks.models import Callback, CallbackReason, ContactAttempt
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests import admin_pages as pages
from tests.factories import CallbackReasonFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.fixture
def colleague(msk):
    """Another operator of Moscow, to give callbacks to."""
    return UserFactory(username="op2", role="Operator", branches=[msk])


@pytest.fixture
def add_callbacks(register, operator):
    """Two callbacks: one waiting in the queue, one taken by the operator with a missed attempt."""

    def add():
        register()
        taken = register(assigned_to=operator, priority=Callback.Priority.URGENT)
        services.attempt_log(callback=taken, by=operator, outcome="no_answer")

    return add


@pytest.mark.parametrize("model", [CallbackReason, Callback, ContactAttempt])
def test_every_list_filter_opens_and_matches(admin_client, add_callbacks, model):
    add_callbacks()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [CallbackReason, Callback, ContactAttempt])
def test_a_list_costs_the_same_for_more_rows(admin_client, add_callbacks, model):
    pages.assert_cost_does_not_grow(
        admin_client, model, add_callbacks if model is not CallbackReason else CallbackReasonFactory
    )


def test_callbacks_are_found_by_customer_and_by_operator(admin_client, add_callbacks, register, msk, operator):
    add_callbacks()
    other = register(customer=CustomerFactory(branch=msk, full_name="Olga Petrova", phone="+79165550000"))
    url = pages.changelist(Callback)
    assert pages.shown(admin_client.get(url, {"q": "Petrova"})) == [other]
    assert pages.shown(admin_client.get(url, {"q": "5550000"})) == [other]
    assert [c.assigned_to for c in pages.shown(admin_client.get(url, {"q": operator.username}))] == [operator]
    attempts = pages.shown(admin_client.get(pages.changelist(ContactAttempt), {"q": "Ivanov"}))
    assert [attempt.outcome for attempt in attempts] == ["no_answer"]
    assert pages.shown(admin_client.get(pages.changelist(ContactAttempt), {"q": "Petrova"})) == []


def test_the_queue_filter_shows_the_callbacks_nobody_has(admin_client, add_callbacks):
    add_callbacks()
    queued = pages.shown(admin_client.get(pages.changelist(Callback), {"assigned_to__isempty": "1"}))
    assert [callback.assigned_to for callback in queued] == [None]


def test_reasons_are_searched_added_and_changed_but_not_deleted(admin_client):
    assert [r.code for r in pages.shown(admin_client.get(pages.changelist(CallbackReason), {"q": "asked_call"}))] == [
        "asked_callback"
    ]
    assert admin_client.get(pages.add_page(CallbackReason)).status_code == 200
    response = admin_client.post(
        pages.add_page(CallbackReason),
        {
            "code": "card_delivery",
            "label": "Card delivery",
            "label_ru": "Доставка карты",
            "due_soon_after": "1",
            "due_after": "2",
            "unit": "days",
            "basis": "business",
            "retry_pause": "02:00:00",
            "vary_time_of_day": "on",
            "attempts_before_unreachable": "3",
            "is_active": "on",
            "position": "5",
        },
    )
    assert response.status_code == 302
    reason = CallbackReason.objects.get(code="card_delivery")
    assert reason.term == "1–2 business days"
    assert AuditEntry.objects.get(action="admin.added").target == reason
    # The list edits the order and the active flag in place: each changed row is audited too.
    response = admin_client.post(
        pages.changelist(CallbackReason),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(reason.pk),
            "form-0-position": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="admin.changed")
    assert changed.changes == {"position": [5, 7], "is_active": [True, False]}
    assert admin_client.get(pages.change_page(reason)).status_code == 200
    assert admin_client.post(pages.change_page(reason).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert CallbackReason.objects.filter(pk=reason.pk).exists()


@pytest.mark.parametrize("model", [Callback, ContactAttempt])
def test_callbacks_and_attempts_are_shown_but_not_edited(admin_client, add_callbacks, model):
    add_callbacks()
    row = model.objects.first()
    assert admin_client.get(pages.change_page(row)).status_code == 200
    assert admin_client.get(pages.add_page(model)).status_code == 403
    assert admin_client.post(pages.change_page(row), {}).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


# --- Reassign to… -------------------------------------------------------------------------------------------


def reassign(client, callbacks, **data):
    return client.post(
        pages.changelist(Callback),
        {"action": "reassign", "_selected_action": [callback.pk for callback in callbacks], **data},
        follow="apply" in data,
    )


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def owners(callbacks) -> list:
    return [Deadline.objects.for_case(callback).open().get().owner for callback in callbacks]


def test_reassigning_asks_for_an_operator_of_the_branch(admin_client, register, operator, colleague, stranger):
    callbacks = [register(), register(assigned_to=operator)]
    response = reassign(admin_client, callbacks)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_choice.html"
    choices = response.context["form"].operators
    assert colleague in choices and operator in choices
    assert stranger not in choices, "an operator of Budapest cannot take Moscow's callbacks"
    page = response.content.decode()
    assert all(str(callback) in page for callback in callbacks)
    assert not AuditEntry.objects.filter(action="callback.reassigned").exists(), "asking changes nothing"


def test_reassigning_gives_the_callbacks_and_their_clocks_and_is_audited(admin_client, register, operator, colleague):
    callbacks = [register(), register(assigned_to=operator)]
    response = reassign(admin_client, callbacks, apply="yes", to=colleague.pk)
    assert texts(response) == [f"2 callbacks given to {colleague}."]
    for callback in callbacks:
        callback.refresh_from_db()
        assert callback.assigned_to == colleague
    assert owners(callbacks) == [colleague, colleague]
    entries = AuditEntry.objects.filter(action="callback.reassigned").order_by("object_id")
    assert [(entry.object_id, entry.actor.username) for entry in entries] == [(c.pk, "root") for c in callbacks]
    assert entries[1].changes == {"assigned_to": [str(operator), str(colleague)]}


def test_reassigning_to_nobody_puts_them_back_in_the_queue(admin_client, register, operator):
    callback = register(assigned_to=operator)
    response = reassign(admin_client, [callback], apply="yes", to="queue")
    assert texts(response) == ["1 callback is back in the branch queue."]
    callback.refresh_from_db()
    assert callback.assigned_to is None and owners([callback]) == [None]


def test_one_closed_callback_refuses_the_whole_batch(admin_client, register, operator, colleague):
    open_one = register(assigned_to=operator)
    closed = register(assigned_to=operator)
    services.callback_cancel(callback=closed, by=operator, reason="Customer withdrew.")
    response = reassign(admin_client, [open_one, closed], apply="yes", to=colleague.pk)
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert str(message) == f"Nothing was reassigned: {closed} is closed and cannot be reassigned."
    open_one.refresh_from_db()
    assert open_one.assigned_to == operator and owners([open_one]) == [operator]
    assert not AuditEntry.objects.filter(action="callback.reassigned").exists()


@pytest.mark.parametrize("to", ["stranger", ""])
def test_an_operator_of_another_branch_or_no_choice_is_not_accepted(admin_client, register, operator, stranger, to):
    callback = register(assigned_to=operator)
    response = reassign(admin_client, [callback], apply="yes", to=stranger.pk if to else "")
    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    callback.refresh_from_db()
    assert callback.assigned_to == operator
    assert not AuditEntry.objects.filter(action="callback.reassigned").exists()


def test_callbacks_of_two_branches_without_a_common_operator_can_only_go_to_the_queue(
    admin_client, register, bud, stranger, colleague
):
    budapest = services.callback_register(
        branch=bud,
        customer=CustomerFactory(branch=bud, phone="+36301234567"),
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Card blocked.",
        created_by=stranger,
    )
    response = reassign(admin_client, [register(), budapest])
    assert response.context["form"].operators == []
    assert "No operator works in the branches of all the selected callbacks" in response.content.decode()


def test_reassigning_needs_the_permission(client, register, operator, colleague):
    callback = register(assigned_to=operator)
    client.force_login(pages.staff_with("callbacks.view_callback", username="looker-staff"))
    assert "reassign" not in pages.actions_offered(client, Callback)
    reassign(client, [callback], apply="yes", to=colleague.pk)
    callback.refresh_from_db()
    assert callback.assigned_to == operator
    assert not AuditEntry.objects.filter(action="callback.reassigned").exists()

    client.force_login(
        pages.staff_with("callbacks.view_callback", "callbacks.reassign_callback", username="lead-staff")
    )
    assert "reassign" in pages.actions_offered(client, Callback)
    reassign(client, [callback], apply="yes", to=colleague.pk)
    callback.refresh_from_db()
    assert callback.assigned_to == colleague


def test_a_deactivated_operator_is_neither_offered_nor_accepted(admin_client, register, operator, colleague):
    colleague.is_active = False
    colleague.save()
    callback = register(assigned_to=operator)
    assert colleague not in reassign(admin_client, [callback]).context["form"].operators
    response = reassign(admin_client, [callback], apply="yes", to=colleague.pk)
    assert "to" in response.context["form"].errors
    callback.refresh_from_db()
    assert callback.assigned_to == operator
    assert not AuditEntry.objects.filter(action="callback.reassigned").exists()
