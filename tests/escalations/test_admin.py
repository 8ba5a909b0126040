"""Escalations in the admin: the kinds are edited there; escalations and transfers are only looked at."""

import pytest

from contactcenter.audit.models import AuditEntry
from escalations.models import Escalation, EscalationKind, TransferAttempt
from escalations.services import Transfer
from tests import admin_pages as pages
from tests.factories import CustomerFactory, EscalationKindFactory

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.fixture
def add_escalations(open_escalation, staff):
    """Three escalations: one waiting for the supervisor, one about the operator, one transferred but unanswered."""

    def add():
        open_escalation()
        open_escalation("complaint_about_operator")
        open_escalation(transfer=Transfer(customer_agreed=True, answered=False, to_user=staff["supervisor"]))

    return add


@pytest.mark.parametrize("model", [EscalationKind, Escalation, TransferAttempt])
def test_every_list_filter_opens_and_matches(admin_client, add_escalations, model):
    add_escalations()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [EscalationKind, Escalation, TransferAttempt])
def test_a_list_costs_the_same_for_more_rows(admin_client, add_escalations, model):
    pages.assert_cost_does_not_grow(
        admin_client, model, EscalationKindFactory if model is EscalationKind else add_escalations
    )


def test_the_lists_are_searched(admin_client, add_escalations, open_escalation, msk, operator):
    add_escalations()
    other = open_escalation(
        customer=CustomerFactory(branch=msk, full_name="Olga Petrova", phone="+79165550000"),
        customer_wants="A new card by Friday.",
    )
    url = pages.changelist(Escalation)
    assert pages.shown(admin_client.get(url, {"q": "Petrova"})) == [other]
    assert pages.shown(admin_client.get(url, {"q": "by Friday"})) == [other]
    about = pages.shown(admin_client.get(url, {"q": operator.last_name}))
    assert len(about) == 4, "opened by the operator, and one about them"
    transfers = pages.shown(admin_client.get(pages.changelist(TransferAttempt), {"q": "Ivanov"}))
    assert [transfer.answered for transfer in transfers] == [False]
    assert pages.shown(admin_client.get(pages.changelist(TransferAttempt), {"q": "Petrova"})) == []
    kinds = pages.shown(admin_client.get(pages.changelist(EscalationKind), {"q": "aggressive"}))
    assert [kind.code for kind in kinds] == ["aggressive"]


def test_the_about_an_operator_filter(admin_client, add_escalations):
    add_escalations()
    about = pages.shown(admin_client.get(pages.changelist(Escalation), {"about_operator__isempty": "0"}))
    assert [escalation.kind.code for escalation in about] == ["complaint_about_operator"]


def test_a_kind_is_added_and_changed_but_not_deleted(admin_client):
    assert admin_client.get(pages.add_page(EscalationKind)).status_code == 200
    response = admin_client.post(
        pages.add_page(EscalationKind),
        {
            "code": "threat_of_court",
            "label": "Threatens to go to court",
            "label_ru": "Грозит судом",
            "contact_within": "4",
            "unit": "hours",
            "basis": "business",
            "first_level": "head_of_department",
            "tells_security_at_once": "",
            "allows_live_transfer": "on",
            "handled_by": "the head of department",
            "handled_by_ru": "руководитель отдела",
            "is_active": "on",
            "position": "9",
        },
    )
    assert response.status_code == 302
    kind = EscalationKind.objects.get(code="threat_of_court")
    assert (kind.term, kind.first_level) == ("4 business hours", "head_of_department")
    assert AuditEntry.objects.get(action="admin.added").changes["contact_within"] == [None, 4]
    response = admin_client.post(
        pages.change_page(kind),
        {
            "code": "threat_of_court",
            "label": "Threatens to go to court",
            "label_ru": "Грозит судом",
            "contact_within": "4",
            "unit": "hours",
            "basis": "business",
            "first_level": "security",
            "is_active": "on",
            "position": "9",
        },
    )
    assert response.status_code == 200, "security is never the first level"
    kind.refresh_from_db()
    assert kind.first_level == "head_of_department"
    assert not AuditEntry.objects.filter(action="admin.changed").exists(), "a refused change is not recorded"
    assert admin_client.post(pages.change_page(kind).replace("change", "delete"), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("model", [Escalation, TransferAttempt])
def test_escalations_and_transfers_are_shown_but_not_edited(admin_client, add_escalations, model):
    add_escalations()
    row = model.objects.first()
    assert admin_client.get(pages.change_page(row)).status_code == 200
    assert admin_client.get(pages.add_page(model)).status_code == 403
    assert admin_client.post(pages.change_page(row), {}).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_no_action_changes_escalations_in_the_admin(admin_client, add_escalations):
    """No service hands an escalation to someone else (it is taken by acknowledging it), so no action does."""
    add_escalations()
    assert pages.actions_offered(admin_client, Escalation) == set()
