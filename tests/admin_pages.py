"""What every admin test checks the same way: the changelist's filter links, the cost of a page, autocomplete."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_page(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_page(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def shown(response) -> list:
    """The rows a changelist shows."""
    assert response.status_code == 200, response.status_code
    return list(response.context["cl"].result_list)


def filter_links(client, model) -> list[str]:
    """The query string of every choice of every filter of the changelist (the links in its sidebar)."""
    response = client.get(changelist(model))
    cl = response.context["cl"]
    links = [choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)]
    # Each filter offers "All" and at least one choice; fewer links would mean a filter never showed.
    assert len(links) >= 2 * len(cl.filter_specs) > 0
    return links


def follow_every_filter(client, model) -> int:
    """Open the changelist through every filter link; a bad lookup would redirect to ``?e=1``. Returns how many
    links gave at least one row, so that a test can tell the filters matched something."""
    matched = 0
    for link in filter_links(client, model):
        response = client.get(changelist(model) + link)
        assert response.status_code == 200, f"{link}: {response.status_code}"
        matched += bool(response.context["cl"].result_count)
    return matched


def queries_for(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries), response


def assert_cost_does_not_grow(client, model, add_rows):
    """The changelist costs as many queries with more rows: ``add_rows()`` adds some each time it is called."""
    url = changelist(model)
    add_rows()
    client.get(url)  # content types, the session: caches filled once, not counted
    small, response = queries_for(client, url)
    before = response.context["cl"].result_count
    add_rows()
    add_rows()
    large, response = queries_for(client, url)
    assert response.context["cl"].result_count > before
    assert large == small


def autocomplete(client, model, field_name: str, term: str = "") -> list[str]:
    """What the admin's autocomplete answers for ``model.field_name``: the labels it offers."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200, response.status_code
    return [result["text"] for result in response.json()["results"]]


def staff_with(*codenames: str, username: str = "admin-staff", **kwargs):
    """A staff member (may open the admin) with exactly these permissions, given as ``app_label.codename``."""
    user = UserFactory(username=username, is_staff=True, **kwargs)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def actions_offered(client, model) -> set[str]:
    response = client.get(changelist(model))
    assert response.status_code == 200, response.status_code
    form = response.context["action_form"]
    return {value for value, _label in form.fields["action"].choices if value} if form else set()
