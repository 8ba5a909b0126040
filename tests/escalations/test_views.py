from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from callbacks.models import CallbackReason
from callbacks.services import callback_register
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.directory.models import Customer
from escalations import services
from escalations.models import Escalation, TransferAttempt
from tests.downloads import csv_rows
from tests.factories import ComplaintFactory, CustomerFactory, UserFactory
from tests.moments import moscow

from .conftest import kind


@pytest.fixture
def form_data(msk):
    return {
        "branch": msk.pk,
        "customer_phone": "8 (903) 111-22-33",
        "customer_name": "Maria Kuznetsova",
        "kind": kind("demands_supervisor").pk,
        "customer_wants": "Wants to speak to whoever can cancel the fee.",
        "transfer": "",
    }


class TestTheOperatorsForm:
    def test_an_unanswered_transfer_for_a_new_customer(self, client, staff, form_data, monday_morning):
        client.force_login(staff["operator"])
        page = client.get(reverse("escalations:create")).content.decode()
        assert "Demands a supervisor" in page and "security is told at once" in page
        response = client.post(
            reverse("escalations:create"),
            {**form_data, "transfer": "unanswered", "transfer_to": staff["supervisor"].pk},
        )
        escalation = Escalation.objects.get()
        assert response.status_code == 302 and response.url == escalation.get_absolute_url()
        assert escalation.customer.phone == "+79031112233" and escalation.customer.full_name == "Maria Kuznetsova"
        assert (escalation.status, escalation.due_at) == ("open", moscow(2026, 11, 23, 12, 0))
        transfer = TransferAttempt.objects.get()
        assert (transfer.to_user, transfer.customer_agreed, transfer.answered) == (staff["supervisor"], True, False)
        page = client.get(escalation.get_absolute_url()).content.decode()
        assert "Wants to speak to whoever can cancel the fee." in page and "not answered" in page

    def test_a_bad_form_explains_and_stores_nothing(self, client, staff, form_data, monday_morning):
        client.force_login(staff["operator"])
        url = reverse("escalations:create")
        response = client.post(url, {**form_data, "kind": 999999})
        assert response.status_code == 200
        assert "Choose a kind of escalation from the list." in response.content.decode()
        response = client.post(url, {**form_data, "customer_phone": "12"})
        assert "customer_phone" in response.context["form"].errors
        response = client.post(url, {**form_data, "customer_name": ""})
        assert "No customer of this branch has this number yet" in response.content.decode()
        response = client.post(url, {**form_data, "transfer": "answered"})
        assert "Say to whom" in response.content.decode()
        response = client.post(url, {**form_data, "customer_wants": ""})
        assert "customer_wants" in response.context["form"].errors
        assert not Escalation.objects.exists()
        assert not Customer.objects.filter(phone="+79031112233").exists(), "the new customer is not stored either"

    def test_a_service_refusal_is_shown_and_rolls_the_new_customer_back(
        self, client, staff, msk, form_data, monday_morning
    ):
        msk.allows_live_transfer = False
        msk.save()
        client.force_login(staff["operator"])
        response = client.post(reverse("escalations:create"), {**form_data, "transfer_to_name": "x"})
        assert response.status_code == 302, "a branch without live transfer shows no transfer choice at all"
        msk.allows_live_transfer = True
        msk.save()
        kind_ = kind("demands_supervisor")
        kind_.allows_live_transfer = False
        kind_.save()
        data = {**form_data, "customer_phone": "+79035550000", "transfer": "answered", "transfer_to_name": "Sup"}
        response = client.post(reverse("escalations:create"), data)
        assert "not allowed" in response.content.decode()
        assert Escalation.objects.count() == 1
        assert not Customer.objects.filter(phone="+79035550000").exists()

    def test_from_a_callback_both_pages_show_the_link(self, client, staff, msk, customer, monday_morning):
        callback = callback_register(
            branch=msk,
            customer=customer,
            reason=CallbackReason.objects.get(code="asked_callback"),
            customer_said="Card blocked",
            created_by=staff["operator"],
        )
        client.force_login(staff["operator"])
        callback_page = client.get(callback.get_absolute_url()).content.decode()
        create_url = reverse("escalations:create") + f"?callback={callback.pk}"
        assert create_url in callback_page
        assert "From " in client.get(create_url).content.decode()
        response = client.post(
            create_url,
            {
                "branch": msk.pk,
                "customer_phone": customer.phone,
                "callback": callback.pk,
                "kind": kind("complaint_about_operator").pk,
                "customer_wants": "Nobody called back as promised.",
                "about_operator": "",
            },
        )
        escalation = Escalation.objects.get()
        assert response.url == escalation.get_absolute_url()
        assert (escalation.callback, escalation.customer, escalation.source) == (callback, customer, "callback")
        assert escalation.about_operator == staff["operator"]
        assert callback.get_absolute_url() in client.get(escalation.get_absolute_url()).content.decode()
        assert escalation.get_absolute_url() in client.get(callback.get_absolute_url()).content.decode()

    def test_from_a_complaint_and_into_one(self, client, staff, msk, customer, monday_morning):
        complaint = ComplaintFactory(branch=msk, customer=customer, number=900)
        escalation = services.escalation_open(
            branch=msk,
            customer=customer,
            kind="demands_supervisor",
            customer_wants="Wants the manager's answer today",
            opened_by=staff["operator"],
            complaint=complaint,
        )
        client.force_login(staff["supervisor"])
        assert escalation.get_absolute_url() in client.get(complaint.get_absolute_url()).content.decode()
        services.escalation_record_contact(escalation=escalation, by=staff["supervisor"], note="Called")
        client.post(
            reverse("escalations:close", args=[escalation.pk]),
            {"outcome": "complaint", "note": "A second complaint", "complaint_category": "service"},
        )
        escalation.refresh_from_db()
        new = escalation.resulting_complaint
        assert new is not None and new != complaint
        detail = client.get(escalation.get_absolute_url()).content.decode()
        assert new.get_absolute_url() in detail and complaint.get_absolute_url() in detail
        assert escalation.get_absolute_url() in client.get(new.get_absolute_url()).content.decode()

    def test_the_form_fits_a_phone_sized_request(self, client, staff):
        client.force_login(staff["operator"])
        page = client.get(reverse("escalations:create")).content.decode()
        assert 'inputmode="tel"' in page and "btn-lg w-100" in page


class TestHandlingPages:
    def test_acknowledge_call_back_and_resolve_from_the_detail_page(
        self, client, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        client.force_login(staff["supervisor"])
        client.post(reverse("escalations:acknowledge", args=[escalation.pk]))
        response = client.post(reverse("escalations:acknowledge", args=[escalation.pk]), follow=True)
        assert "already acknowledged" in response.content.decode()
        response = client.post(reverse("escalations:contact", args=[escalation.pk]), {"note": ""})
        assert response.status_code == 400 and "Nothing was changed" in response.content.decode()
        client.post(reverse("escalations:contact", args=[escalation.pk]), {"note": "Apologised, fee cancelled"})
        response = client.post(
            reverse("escalations:close", args=[escalation.pk]), {"outcome": "resolved", "note": "Fee cancelled"}
        )
        assert response.status_code == 302
        escalation.refresh_from_db()
        assert (escalation.status, escalation.outcome) == ("closed", "resolved")
        page = client.get(escalation.get_absolute_url()).content.decode()
        assert "Apologised, fee cancelled" in page and "closed the escalation: " in page
        assert "escalation.closed" not in page

    def test_a_transfer_on_a_closed_escalation_is_refused_with_a_message(
        self, client, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        services.escalation_close(escalation=escalation, by=staff["supervisor"], outcome="declined", note="No")
        client.force_login(staff["operator"])
        response = client.post(
            reverse("escalations:transfer", args=[escalation.pk]), {"to_name": "Sup", "result": "answered"}
        )
        assert response.status_code == 400
        assert "This escalation is closed" in response.content.decode()
        assert not TransferAttempt.objects.exists()

    def test_operators_and_security_cannot_act_where_they_may_not(self, client, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        client.force_login(staff["operator"])
        assert client.post(reverse("escalations:acknowledge", args=[escalation.pk])).status_code == 403
        assert client.get(reverse("escalations:figures")).status_code == 403
        client.force_login(staff["security"])
        assert client.post(reverse("escalations:acknowledge", args=[escalation.pk])).status_code == 404, (
            "security does not see what has not reached it"
        )
        escalation.refresh_from_db()
        assert escalation.status == "open"


class TestScoping:
    def test_who_sees_what(self, client, open_escalation, staff, msk, stranger, monday_morning):
        colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
        mine = open_escalation()
        theirs = open_escalation(opened_by=colleague)
        aggressive = open_escalation("aggressive", opened_by=colleague)

        def listed(user, **params):
            client.force_login(user)
            return {e.pk for e in client.get(reverse("escalations:list"), params).context["page"]}

        assert listed(staff["operator"]) == {mine.pk}
        assert client.get(theirs.get_absolute_url()).status_code == 404
        assert listed(staff["security"]) == {aggressive.pk}
        assert listed(staff["supervisor"]) == {mine.pk, theirs.pk, aggressive.pk}
        assert listed(staff["deputy"]) == {mine.pk, theirs.pk, aggressive.pk}
        assert listed(stranger) == set()
        assert client.get(mine.get_absolute_url()).status_code == 404

    def test_an_escalation_raised_to_security_becomes_visible_to_security(
        self, client, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        client.force_login(staff["security"])
        assert client.get(escalation.get_absolute_url()).status_code == 404
        for moment in (moscow(2026, 11, 23, 12, 1), moscow(2026, 11, 23, 14, 2)):
            monday_morning.move_to(moment)
            scan_deadlines(now=moment)
        assert client.get(escalation.get_absolute_url()).status_code == 200
        client.post(reverse("escalations:acknowledge", args=[escalation.pk]))
        escalation.refresh_from_db()
        assert escalation.acknowledged_by == staff["security"], "security acts on what reached it"


class TestTheList:
    def test_filters_search_sorting_and_export(self, client, open_escalation, staff, msk, monday_morning):
        demand = open_escalation()
        other_customer = CustomerFactory(branch=msk, full_name="Olga Popova", phone="+79165550000")
        aggressive = open_escalation("aggressive", customer=other_customer)
        services.escalation_acknowledge(escalation=aggressive, by=staff["head"])
        client.force_login(staff["supervisor"])
        url = reverse("escalations:list")

        def listed(**params):
            return [e.pk for e in client.get(url, params).context["page"]]

        assert listed(kind=kind("aggressive").pk) == [aggressive.pk]
        assert listed(level="supervisor") == [demand.pk]
        assert listed(status="acknowledged") == [aggressive.pk]
        assert listed(q="8 916 555 00 00") == [aggressive.pk]
        assert set(listed(opened_by=staff["operator"].pk)) == {demand.pk, aggressive.pk}
        assert listed() == [aggressive.pk, demand.pk], "the soonest due first"
        assert listed(ordering="-due") == [demand.pk, aggressive.pk]
        assert listed(overdue="on") == []
        monday_morning.move_to(moscow(2026, 11, 23, 11, 30))
        assert listed(overdue="on") == [aggressive.pk]

        exported = client.get(url, {"format": "csv", "kind": kind("aggressive").pk})
        rows = csv_rows(exported)
        assert rows[0][0] == "Number" and [row[3] for row in rows[1:]] == ["Olga Popova"]

    def test_the_list_costs_the_same_queries_for_few_or_many(self, client, open_escalation, staff, msk, monday_morning):
        client.force_login(staff["supervisor"])
        for _ in range(3):
            open_escalation()
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("escalations:list"))
        for number in range(30):
            customer = CustomerFactory(branch=msk, phone=f"+7916700{number:04d}")
            escalation = open_escalation("aggressive", customer=customer)
            services.escalation_acknowledge(escalation=escalation, by=staff["head"])
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("escalations:list"))
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_customer_page_tells_the_story(self, client, open_escalation, customer, staff, monday_morning):
        open_escalation(customer_wants="Wants the fee for the late transfer refunded today.")
        client.force_login(staff["supervisor"])
        page = client.get(customer.get_absolute_url()).content.decode()
        assert "Escalations" in page and "Wants the fee for the late transfer refunded today." in page


class TestQualityFigures:
    def test_figures_per_operator_and_their_csv(self, client, open_escalation, staff, msk, monday_morning):
        colleague = UserFactory(username="colleague", role="Operator", branches=[msk], last_name="Zhukova")
        open_escalation()
        open_escalation("complaint_about_operator", about_operator=colleague)
        about_self = open_escalation("complaint_about_operator")
        services.escalation_close(escalation=about_self, by=staff["supervisor"], outcome="complaint")
        open_escalation("aggressive", opened_by=colleague)
        client.force_login(staff["supervisor"])
        response = client.get(reverse("escalations:figures"), {"date_from": "2026-11-01", "date_to": "2026-11-30"})
        rows = {row.username: row for row in response.context["figures"].rows}
        operator = rows[staff["operator"].username]
        assert (operator.opened, operator.about, operator.turned_into_complaint) == (3, 1, 1)
        kinds = [k.code for k in response.context["figures"].kinds]
        assert operator.by_kind[kinds.index("complaint_about_operator")] == 2
        assert operator.by_kind[kinds.index("demands_supervisor")] == 1
        assert (rows["colleague"].opened, rows["colleague"].about) == (1, 1)

        exported = client.get(
            reverse("escalations:figures"), {"date_from": "2026-11-01", "date_to": "2026-11-30", "format": "csv"}
        )
        table = csv_rows(exported)
        assert table[0][:3] == ["Operator", "Login", "Escalations opened"]
        by_login = {row[1]: row for row in table[1:]}
        about = table[0].index("Complaints about the operator")
        assert by_login["op"][2] == "3" and by_login["op"][about] == "1"

        earlier = client.get(reverse("escalations:figures"), {"date_from": "2026-10-01", "date_to": "2026-10-31"})
        assert all(row.opened == 0 for row in earlier.context["figures"].rows)
        bad = client.get(reverse("escalations:figures"), {"date_from": "2026-11-30", "date_to": "2026-11-01"})
        assert "must not come before" in bad.content.decode()

    def test_the_figures_are_one_query_whatever_the_operators(self, open_escalation, staff, msk, monday_morning):
        from escalations.selectors import quality_figures

        for number in range(5):
            UserFactory(username=f"extra{number}", role="Operator", branches=[msk])
        open_escalation()
        with CaptureQueriesContext(connection) as queries:
            figures = quality_figures(
                user=staff["supervisor"], date_from=moscow(2026, 11, 1).date(), date_to=moscow(2026, 11, 30).date()
            )
        assert len(figures.rows) == 6
        assert len(queries.captured_queries) <= 5, "roles, branches, kinds, time zone, figures"


def test_the_audit_trail_records_every_change(open_escalation, staff, monday_morning):
    escalation = open_escalation(
        transfer=services.Transfer(customer_agreed=True, answered=False, to_user=staff["supervisor"])
    )
    services.escalation_acknowledge(escalation=escalation, by=staff["supervisor"])
    entries = AuditEntry.objects.for_target(escalation)
    assert entries.get(action="escalation.opened").changes["transfer"][1]["answered"] is False
    assert Deadline.objects.for_case(escalation).get().owner == staff["supervisor"]


def test_the_figures_open_on_this_month_in_moscow_while_utc_is_still_in_the_last(client, msk):
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
    with time_machine.travel(datetime(2026, 11, 30, 21, 30, tzinfo=UTC), tick=False):
        client.force_login(supervisor)
        response = client.get(reverse("escalations:figures"))
    form = response.context["form"]
    assert (form.initial["date_from"], form.initial["date_to"]) == (date(2026, 12, 1), date(2026, 12, 1))


class TestTheCustomerOnTheForm:
    def test_a_known_customer_is_found_by_another_spelling_of_the_phone(
        self, client, staff, form_data, customer, monday_morning
    ):
        client.force_login(staff["operator"])
        response = client.post(
            reverse("escalations:create"), {**form_data, "customer_phone": "+7 (916) 1234567", "customer_name": ""}
        )
        escalation = Escalation.objects.get()
        assert response.status_code == 302 and escalation.customer == customer
        assert Customer.objects.count() == 1

    def test_an_invalid_phone_is_a_form_error_with_the_others_and_creates_nothing(
        self, client, staff, form_data, monday_morning
    ):
        client.force_login(staff["operator"])
        response = client.post(
            reverse("escalations:create"), {**form_data, "customer_phone": "12", "customer_wants": ""}
        )
        errors = response.context["form"].errors
        assert errors["customer_phone"] == ["“12” is not a valid phone number for RU."]
        assert "customer_wants" in errors, "named together with the form's other errors"
        assert not Escalation.objects.exists() and not Customer.objects.exists()


class TestDetailActions:
    """The detail page's actions run through ``case_pages.case_action``, as the complaint's do."""

    @staticmethod
    def messages_of(response):
        return [str(message) for message in response.context["messages"]]

    def test_a_button_accepted_then_refused_says_so_and_the_refusal_changes_nothing(
        self, client, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        client.force_login(staff["supervisor"])
        url = reverse("escalations:acknowledge", args=[escalation.pk])
        response = client.post(url)
        assert response.status_code == 302 and response.url == escalation.get_absolute_url()
        assert self.messages_of(client.get(response.url)) == [
            "Acknowledged: it is yours now. Call the customer back by the due time."
        ]
        entries = AuditEntry.objects.count()
        client.force_login(staff["head"])
        response = client.post(url)
        assert response.status_code == 302 and response.url == escalation.get_absolute_url()
        assert self.messages_of(client.get(response.url)) == [
            f"Nothing was changed: This escalation was already acknowledged by {staff['supervisor']}."
        ]
        escalation.refresh_from_db()
        assert escalation.acknowledged_by == staff["supervisor"] and AuditEntry.objects.count() == entries

    def test_a_form_refused_by_the_service_shows_the_page_again_with_the_reason(
        self, client, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        services.escalation_record_contact(escalation=escalation, by=staff["supervisor"], note="Called")
        entries = AuditEntry.objects.count()
        client.force_login(staff["supervisor"])
        response = client.post(reverse("escalations:contact", args=[escalation.pk]), {"note": "Called again"})
        assert response.status_code == 400
        assert self.messages_of(response) == ["Nothing was changed: The customer's contact has already been recorded."]
        assert response.context["contact_form"].data["note"] == "Called again", "what was typed is kept"
        assert AuditEntry.objects.count() == entries

    def test_an_invalid_form_is_shown_again_with_what_is_wrong(self, client, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        client.force_login(staff["supervisor"])
        response = client.post(reverse("escalations:contact", args=[escalation.pk]), {"note": ""})
        assert response.status_code == 400
        assert self.messages_of(response) == ["Nothing was changed: see what is wrong below."]
        assert "note" in response.context["contact_form"].errors
        escalation.refresh_from_db()
        assert escalation.contacted_at is None
