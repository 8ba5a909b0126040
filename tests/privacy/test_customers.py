"""A customer's data on request: exported as JSON, erased where nothing obliges keeping it, refused (with why,
changing nothing) where something does; permission checked, audited; the commands and the admin actions."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from callbacks.models import Callback
from complaints.models import Complaint, ComplaintPage
from contactcenter.audit.models import AuditEntry
from contactcenter.directory.models import Customer
from privacy.customers import customer_erase, customer_export
from privacy.models import RetentionPeriod, RetentionRun
from tests.admin_pages import actions_offered, changelist, staff_with
from tests.privacy.conftest import THEN

pytestmark = pytest.mark.django_db

LATER = THEN + timedelta(days=400)


def test_the_export_holds_the_customer_and_every_case_and_is_audited(old_data, root):
    data = json.loads(json.dumps(customer_export(customer=old_data["maria"], by=root), default=str))
    assert data["customer"]["full_name"] == "Maria Kuznetsova"
    assert [c["customer_said"] for c in data["callbacks"]] == ["Wants a new card"]
    assert [c["summary"] for c in data["complaints"]] == ["Rude consultant"]
    assert data["complaints"][0]["pages"][0]["original_name"] == "page.jpg"
    entry = AuditEntry.objects.get(action="privacy.customer_exported")
    assert (entry.actor, entry.object_id) == (root, old_data["maria"].pk)


def test_the_export_needs_its_permission(old_data, operator):
    with pytest.raises(PermissionDenied):
        customer_export(customer=old_data["maria"], by=operator)
    assert not AuditEntry.objects.filter(action="privacy.customer_exported").exists()


def test_the_export_command_prints_json(old_data):
    out = StringIO()
    call_command("export_customer", str(old_data["ivan"].pk), stdout=out)
    assert json.loads(out.getvalue())["callbacks"][0]["attempts"][0]["note"] == "Called from Antalya"
    with pytest.raises(CommandError, match="No customer has the id 0"):
        call_command("export_customer", "0")


def test_erasure_is_refused_while_a_case_is_open_or_a_complaint_is_kept(old_data, root, media):
    maria = old_data["maria"]
    with time_machine.travel(LATER, tick=False), pytest.raises(ValidationError) as refused:
        customer_erase(customer=maria, by=root)
    reasons = " ".join(refused.value.messages)
    assert "1 callback(s) still open" in reasons
    assert "1 closed complaint(s) within their keeping period (until 12.01.2031)" in reasons
    maria.refresh_from_db()
    assert maria.full_name == "Maria Kuznetsova"
    assert Complaint.objects.get(pk=old_data["complaint"].pk).summary == "Rude consultant"
    assert default_storage.exists(old_data["page"].image.name)
    assert not AuditEntry.objects.filter(action="privacy.customer_erased").exists()


def test_erasure_on_request_anonymises_the_customer_and_their_cases(old_data, root, django_capture_on_commit_callbacks):
    maria = old_data["maria"]
    Callback.objects.filter(pk=old_data["waiting"].pk).update(status=Callback.Status.CANCELLED, closed_at=THEN)
    RetentionPeriod.objects.filter(kind="closed_complaints").update(days=1100)
    with time_machine.travel(THEN + timedelta(days=1101), tick=False), django_capture_on_commit_callbacks(execute=True):
        customer_erase(customer=maria, by=root)
    maria.refresh_from_db()
    assert (maria.full_name, maria.phone, maria.email) == ("(anonymised)", f"anon-{maria.pk}", "")
    assert Callback.objects.get(pk=old_data["waiting"].pk).customer_said == ""
    complaint = Complaint.objects.get(pk=old_data["complaint"].pk)
    assert complaint.summary == "" and complaint.status == "closed"
    assert not ComplaintPage.objects.filter(complaint=complaint).exists()
    assert not default_storage.exists(old_data["page"].image.name)
    entry = AuditEntry.objects.get(action="privacy.customer_erased")
    assert (entry.actor, entry.target_repr) == (root, str(maria))
    with pytest.raises(ValidationError, match="erased already"):
        customer_erase(customer=maria, by=root)


def test_erasure_needs_its_permission(old_data, operator):
    with time_machine.travel(LATER, tick=False), pytest.raises(PermissionDenied):
        customer_erase(customer=old_data["ivan"], by=operator)
    assert Customer.objects.get(pk=old_data["ivan"].pk).full_name == "Ivan Ivanov"


def test_the_erase_command_says_why_it_refuses(old_data):
    with pytest.raises(CommandError, match=r"Nothing was erased: 1 callback\(s\) still open"):
        call_command("erase_customer", str(old_data["maria"].pk))
    with time_machine.travel(LATER, tick=False):
        call_command("erase_customer", str(old_data["ivan"].pk), stdout=StringIO())
    assert Customer.objects.get(pk=old_data["ivan"].pk).full_name == "(anonymised)"


def test_administrators_are_offered_both_actions(admin_client):
    assert {"export_personal_data", "erase_personal_data"} <= actions_offered(admin_client, Customer)


def test_the_admin_exports_the_selected_customers_as_json(old_data, admin_client):
    response = admin_client.post(
        changelist(Customer), {"action": "export_personal_data", "_selected_action": [old_data["ivan"].pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["customers"][0]["customer"]["phone"] == "+79161234567"
    assert AuditEntry.objects.filter(action="privacy.customer_exported").count() == 1


def test_the_admin_erases_after_a_confirmation_page_naming_the_refusals(old_data, admin_client, root):
    selected = [old_data["ivan"].pk, old_data["maria"].pk]
    with time_machine.travel(LATER, tick=False):
        admin_client.force_login(root)  # the session of the fixture's day has ended
        page = admin_client.post(changelist(Customer), {"action": "erase_personal_data", "_selected_action": selected})
        assert page.status_code == 200
        assert "Will be refused: Maria Kuznetsova" in page.content.decode()
        assert Customer.objects.get(pk=old_data["ivan"].pk).full_name == "Ivan Ivanov"
        done = admin_client.post(
            changelist(Customer),
            {"action": "erase_personal_data", "_selected_action": selected, "apply": "yes"},
            follow=True,
        )
    text = done.content.decode()
    assert "Personal data erased: 1 customer(s)." in text
    assert "Nothing was erased of Maria Kuznetsova" in text
    assert Customer.objects.get(pk=old_data["ivan"].pk).full_name == "(anonymised)"
    assert Customer.objects.get(pk=old_data["maria"].pk).full_name == "Maria Kuznetsova"


def test_staff_without_the_permissions_are_not_offered_the_actions(old_data, client):
    client.force_login(staff_with("directory.view_customer", "directory.change_customer"))
    assert not actions_offered(client, Customer) & {"export_personal_data", "erase_personal_data"}
    refused = client.post(
        changelist(Customer), {"action": "erase_personal_data", "_selected_action": [old_data["ivan"].pk]}
    )
    assert refused.status_code in {200, 302}
    assert Customer.objects.get(pk=old_data["ivan"].pk).full_name == "Ivan Ivanov"


def test_the_retention_periods_are_edited_in_the_admin_within_their_minimum(admin_client):
    period = RetentionPeriod.objects.get(kind="closed_complaints")
    url = reverse("admin:privacy_retentionperiod_change", args=[period.pk])
    refused = admin_client.post(url, {"days": "30"})
    assert refused.status_code == 200
    assert "At least 1096 days for this kind of data." in refused.content.decode()
    assert RetentionPeriod.objects.get(pk=period.pk).days == 1826
    admin_client.post(url, {"days": "2000"})
    assert RetentionPeriod.objects.get(pk=period.pk).days == 2000
    assert AuditEntry.objects.filter(action="admin.changed", object_id=period.pk).exists()
    assert admin_client.get(changelist(RetentionRun)).status_code == 200
    assert admin.site.is_registered(RetentionRun)
