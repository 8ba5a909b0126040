"""The directory in the admin: lists, filters, search and autocomplete; customers saved through the services."""

import json
from datetime import datetime, time

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.rules import ClockRule
from contactcenter.deadlines.services import open_clock
from contactcenter.directory.models import Branch, Customer, Team, User
from tests import admin_pages as pages
from tests.factories import BranchFactory, ClockPolicyFactory, CustomerFactory, TeamFactory, UserFactory
from tests.moments import MOSCOW

MODELS = [Branch, Team, User, Customer]
OUR_APPS = ["directory", "audit", "calendars", "deadlines", "alerts", "callbacks", "complaints", "escalations", "api"]


def test_every_model_of_our_apps_has_an_admin_page():
    missing = {
        model._meta.label
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if not admin.site.is_registered(model)
    }
    assert missing == {"directory.WorkingHours", "directory.TeamHours"}, (
        "working hours are edited on their branch's page, a team's on its team's page"
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def add_people(msk, operator):
    """A branch with a manager and a deputy director, a team with its supervisor and two members, a customer."""

    def add():
        branch = BranchFactory()
        supervisor = UserFactory(role="Supervisor", branches=[branch, msk])
        branch.manager = UserFactory(role="Branch manager", branches=[branch])
        branch.deputy_director = UserFactory(role="Deputy director")
        branch.save()
        team = TeamFactory(branch=branch, supervisor=supervisor)
        team.members.set([UserFactory(role="Operator", branches=[branch]), operator])
        CustomerFactory(branch=branch, created_by=operator)

    return add


@pytest.mark.parametrize("model", MODELS)
def test_every_list_filter_opens_and_matches(admin_client, add_people, model):
    add_people()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", MODELS)
def test_a_list_costs_the_same_for_more_rows(admin_client, add_people, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_people)


def test_the_lists_are_searched(admin_client, add_people, msk, bud, operator):
    add_people()
    ivan = CustomerFactory(branch=bud, full_name="Ivan Petrov", phone="+36301234567")
    team = TeamFactory(branch=bud, name="Night shift", supervisor=UserFactory(username="nightowl"))
    assert pages.shown(admin_client.get(pages.changelist(Branch), {"q": "Budapest"})) == [bud]
    assert pages.shown(admin_client.get(pages.changelist(Team), {"q": "nightowl"})) == [team]
    assert pages.shown(admin_client.get(pages.changelist(User), {"q": operator.email})) == [operator]
    assert pages.shown(admin_client.get(pages.changelist(Customer), {"q": "301234567"})) == [ivan]
    assert pages.shown(admin_client.get(pages.changelist(Customer), {"q": "Petrov"})) == [ivan]


def test_the_staff_list_shows_roles_and_branches(admin_client, operator):
    page = admin_client.get(pages.changelist(User), {"q": operator.username}).content.decode()
    assert '<td class="field-roles">Operator</td>' in page
    assert '<td class="field-branch_codes">MSK</td>' in page


@pytest.mark.parametrize("model", MODELS)
def test_the_add_and_change_pages_open(admin_client, add_people, model):
    add_people()
    assert admin_client.get(pages.add_page(model)).status_code == 200
    response = admin_client.get(pages.change_page(model.objects.first()))
    assert response.status_code == 200


def test_the_branch_page_edits_working_hours_and_teams_with_it(admin_client, msk):
    page = admin_client.get(pages.change_page(msk)).content.decode()
    assert 'name="working_hours-TOTAL_FORMS" value="5"' in page
    assert 'name="teams-TOTAL_FORMS"' in page
    assert 'data-field-name="manager"' in page and 'data-field-name="supervisor"' in page, "autocomplete widgets"


def _change_form_data(response) -> dict:
    """What the browser would post back unchanged: the main form's and every inline form's values."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.management_form.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        forms += list(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def test_new_hours_on_the_branch_page_move_its_business_clocks(admin_client, msk, root):
    """Saving the branch page with Friday removed recomputes the branch's clock and audits the change;
    saving it unchanged does neither."""
    ClockPolicyFactory()
    case = CustomerFactory(branch=msk)
    open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        rule=ClockRule.business_days(10),
        opened_at=datetime(2026, 11, 20, 15, 0, tzinfo=MOSCOW),
    )
    url = pages.change_page(msk)
    unchanged = _change_form_data(admin_client.get(url))
    assert admin_client.post(url, unchanged).status_code == 302
    assert not AuditEntry.objects.filter(action="branch.calendar_changed").exists()

    friday = next(key for key, value in unchanged.items() if key.endswith("-weekday") and value == "4")
    changed = {**unchanged, friday.replace("-weekday", "-DELETE"): "on"}
    assert admin_client.post(url, changed).status_code == 302
    assert not msk.working_hours.filter(weekday=4).exists()
    assert Deadline.objects.get(object_id=case.pk).due_at == datetime(2026, 12, 8, 18, 0, tzinfo=MOSCOW)
    entry = AuditEntry.objects.get(action="branch.calendar_changed")
    assert entry.actor == root


def test_staff_choose_branches_and_roles_by_autocomplete(admin_client, operator):
    page = admin_client.get(pages.change_page(operator)).content.decode()
    assert 'data-field-name="branches"' in page and 'data-field-name="groups"' in page


@pytest.mark.parametrize(
    ("model", "field_name", "term", "expected"),
    [
        (Branch, "manager", "boss", "Boris Bossov"),
        (Branch, "deputy_director", "boss", "Boris Bossov"),
        (Team, "branch", "Budap", "BUD · Budapest"),
        (Team, "supervisor", "boss", "Boris Bossov"),
        (Team, "members", "boss", "Boris Bossov"),
        (User, "branches", "Budap", "BUD · Budapest"),
        (User, "groups", "Opera", "Operator"),
        (Customer, "branch", "Budap", "BUD · Budapest"),
    ],
)
def test_autocomplete_answers_for_every_field(admin_client, msk, bud, model, field_name, term, expected):
    UserFactory(username="boss", first_name="Boris", last_name="Bossov")
    found = pages.autocomplete(admin_client, model, field_name, term)
    assert found == [expected]
    assert "MSK · Moscow" not in found and str(Group.objects.get(name="Supervisor")) not in found


# --- customers go through the services ----------------------------------------------------------------------


def customer_data(branch, **changes):
    return {
        "branch": branch.pk,
        "full_name": "Anna Smirnova",
        "phone": "8 (916) 123-45-67",
        "email": "",
        "preferred_language": "",
        "notes": "",
        **changes,
    }


def test_a_customer_added_in_the_admin_is_registered_by_the_service(admin_client, root, msk):
    response = admin_client.post(pages.add_page(Customer), customer_data(msk))
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.phone, customer.created_by, customer.branch) == ("+79161234567", root, msk)
    entry = AuditEntry.objects.for_target(customer).get()
    assert (entry.action, entry.actor) == ("customer.created", root)


def test_a_customer_changed_in_the_admin_is_audited(admin_client, root, msk):
    customer = CustomerFactory(branch=msk, full_name="Anna Smirnova", phone="+79161234567")
    response = admin_client.post(
        pages.change_page(customer), customer_data(msk, full_name="Anna Kuznetsova", phone="+7 916 123 45 67")
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.full_name, customer.phone) == ("Anna Kuznetsova", "+79161234567")
    entry = AuditEntry.objects.for_target(customer).get()
    assert (entry.action, entry.actor) == ("customer.changed", root)
    assert entry.changes == {"full_name": ["Anna Smirnova", "Anna Kuznetsova"]}


def test_a_customer_keeps_their_branch(admin_client, msk, bud):
    customer = CustomerFactory(branch=msk, full_name="Anna Smirnova", phone="+79161234567")
    admin_client.post(pages.change_page(customer), customer_data(bud))
    customer.refresh_from_db()
    assert customer.branch == msk


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("+7 916 765-43-21", "This number already belongs to Boris Orlov in this branch."),
        ("12", "“12” is not a valid phone number for RU."),
    ],
)
def test_a_refused_customer_change_changes_nothing(admin_client, msk, phone, message):
    CustomerFactory(branch=msk, full_name="Boris Orlov", phone="+79167654321")
    customer = CustomerFactory(branch=msk, full_name="Anna Smirnova", phone="+79161234567")
    response = admin_client.post(pages.change_page(customer), customer_data(msk, full_name="Anna K", phone=phone))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["phone"]
    customer.refresh_from_db()
    assert (customer.full_name, customer.phone) == ("Anna Smirnova", "+79161234567")
    assert not AuditEntry.objects.exists()

    response = admin_client.post(pages.add_page(Customer), customer_data(msk, phone=phone))
    assert response.status_code == 200
    assert Customer.objects.count() == 2


def test_a_branch_cannot_lose_every_working_day(admin_client, msk):
    """Without any working day no business clock could be computed: the page says so and changes nothing."""
    url = pages.change_page(msk)
    data = _change_form_data(admin_client.get(url))
    for key in [key for key in data if key.startswith("working_hours-") and key.endswith("-weekday")]:
        data[key.replace("-weekday", "-DELETE")] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Enter the hours of at least one working day" in response.content.decode()
    assert msk.working_hours.count() == 5


def _new_branch_data(admin_client) -> dict:
    data = _change_form_data(admin_client.get(pages.add_page(Branch)))
    data.update({"code": "KZN", "name": "Kazan", "time_zone": "Europe/Moscow", "country": "RU", "is_active": "on"})
    return data


def test_a_new_branch_starts_with_monday_to_friday_which_can_be_changed(admin_client):
    data = _new_branch_data(admin_client)
    assert [data[f"working_hours-{i}-weekday"] for i in range(5)] == ["0", "1", "2", "3", "4"]
    data.update({"working_hours-1-opens": "10:00", "working_hours-1-closes": "19:00"})
    assert admin_client.post(pages.add_page(Branch), data).status_code == 302
    hours = Branch.objects.get(code="KZN").working_hours.order_by("weekday")
    assert [(h.weekday, h.opens, h.closes) for h in hours] == [
        (0, time(9), time(18)),
        (1, time(10), time(19)),
        (2, time(9), time(18)),
        (3, time(9), time(18)),
        (4, time(9), time(18)),
    ]


def test_a_new_branch_without_any_working_day_is_refused(admin_client):
    data = {key: value for key, value in _new_branch_data(admin_client).items() if not key.startswith("working_hours-")}
    data.update({"working_hours-TOTAL_FORMS": "0", "working_hours-INITIAL_FORMS": "0"})
    response = admin_client.post(pages.add_page(Branch), data)
    assert response.status_code == 200
    assert "Enter the hours of at least one working day" in response.content.decode()
    assert not Branch.objects.filter(code="KZN").exists()


def test_a_branch_change_is_audited_with_its_hours(admin_client, msk, root):
    url = pages.change_page(msk)
    data = _change_form_data(admin_client.get(url))
    friday = next(key for key, value in data.items() if key.endswith("-weekday") and value == "4")
    data.update({"name": "Moscow, Tverskaya", friday.replace("-weekday", "-closes"): "16:45"})
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed")
    assert (entry.actor, entry.branch, entry.target) == (root, msk, msk)
    assert entry.changes["name"] == ["Moscow", "Moscow, Tverskaya"]
    before, after = entry.changes["working hours"]
    assert "Friday 09:00–18:00" in before and "Friday 09:00–16:45" in after
    assert len(after) == 5


def test_a_new_branch_and_its_deletion_are_audited(admin_client, root):
    assert admin_client.post(pages.add_page(Branch), _new_branch_data(admin_client)).status_code == 302
    branch = Branch.objects.get(code="KZN")
    added = AuditEntry.objects.get(action="admin.added")
    assert added.target == branch and added.changes["code"] == [None, "KZN"]
    assert len(added.changes["working hours"][1]) == 5

    delete_url = pages.change_page(branch).replace("/change/", "/delete/")
    page = admin_client.get(delete_url).content.decode()
    assert "Cannot delete branch" in page, "its own history keeps the branch: deactivate it instead"
    AuditEntry.objects.filter(branch=branch).delete()  # a branch nobody ever touched can go
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Branch.objects.filter(code="KZN").exists()
    deleted = AuditEntry.objects.get(action="admin.deleted")
    assert (deleted.target_repr, deleted.branch, deleted.actor) == ("KZN · Kazan", None, root)


def test_staff_changes_are_audited_and_passwords_never_written(admin_client, msk, bud, root):
    response = admin_client.post(
        pages.add_page(User),
        {
            "username": "newcomer",
            "password1": "Very-secret-2026!",
            "password2": "Very-secret-2026!",
            "branches": [msk.pk],
            "groups": [Group.objects.get(name="Operator").pk],
            "language": "ru",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    newcomer = User.objects.get(username="newcomer")
    added = AuditEntry.objects.get(action="admin.added")
    assert added.target == newcomer and added.changes["branches"] == [None, ["MSK · Moscow"]]
    assert added.changes["groups"] == [None, ["Operator"]]

    url = pages.change_page(newcomer)
    data = _change_form_data(admin_client.get(url))
    joined = timezone.localtime(newcomer.date_joined)
    data.update(
        {
            "branches": [str(msk.pk), str(bud.pk)],
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S.%f"),
        }
    )
    data.pop("date_joined", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changed = AuditEntry.objects.get(action="admin.changed")
    assert changed.changes == {"branches": [["MSK · Moscow"], ["BUD · Budapest", "MSK · Moscow"]]}

    password_url = reverse("admin:auth_user_password_change", args=[newcomer.pk])
    new_password = {"password1": "Another-secret-2026!", "password2": "Another-secret-2026!"}
    assert admin_client.post(password_url, {**new_password, "usable_password": "true"}).status_code == 302
    assert AuditEntry.objects.filter(action="admin.password_set", object_id=newcomer.pk, actor=root).count() == 1
    written = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "secret" not in written and "password" not in written


# --- posts are given to active staff only -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field_name"), [(Branch, "manager"), (Branch, "deputy_director"), (Team, "supervisor"), (Team, "members")]
)
def test_autocomplete_offers_active_staff_only(admin_client, model, field_name):
    UserFactory(username="boss", first_name="Boris", last_name="Bossov")
    UserFactory(username="gone", first_name="Boris", last_name="Gonov", is_active=False)
    assert pages.autocomplete(admin_client, model, field_name, "Boris") == ["Boris Bossov"]


def test_the_staff_list_still_finds_deactivated_staff(admin_client):
    gone = UserFactory(username="gone", first_name="Boris", last_name="Gonov", is_active=False)
    assert pages.shown(admin_client.get(pages.changelist(User), {"q": "Gonov"})) == [gone]


def test_a_deactivated_person_cannot_be_made_a_branch_manager(admin_client, msk):
    gone = UserFactory(username="gone", is_active=False)
    url = pages.change_page(msk)
    data = _change_form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "manager": str(gone.pk)})
    assert response.status_code == 200
    assert "manager" in response.context["adminform"].form.errors
    msk.refresh_from_db()
    assert msk.manager is None
    assert not AuditEntry.objects.filter(action="admin.changed").exists()


def test_a_branch_whose_manager_left_still_saves_an_unrelated_change(admin_client, msk):
    """The alerts already stand in for a deactivated manager; replacing them is the administrator's next step,
    not a condition of every other edit."""
    gone = UserFactory(username="gone", is_active=False)
    lead = UserFactory(username="lead")
    TeamFactory(branch=msk, name="Day shift", supervisor=lead)
    msk.manager = gone
    msk.save()
    lead.is_active = False
    lead.save()
    url = pages.change_page(msk)
    data = _change_form_data(admin_client.get(url))
    assert admin_client.post(url, {**data, "name": "Moscow, Tverskaya"}).status_code == 302
    msk.refresh_from_db()
    assert (msk.name, msk.manager) == ("Moscow, Tverskaya", gone)
