"""A complaint received by e-mail whose customer is still to be named says "draft" wherever it is listed: the
register, the operator's "My work" and the header's search."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints import services as complaints
from complaints.photos import prepare_photo
from tests.complaints.sample_files import jpeg_bytes, upload
from tests.factories import UserFactory
from tests.moments import moscow

pytestmark = pytest.mark.django_db

MONDAY = moscow(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def register(branch, by, *, draft):
    named = {} if draft else {"customer_phone": "+79161234567", "customer_name": "Ivan Ivanov"}
    return complaints.complaint_register(
        branch=branch,
        channel="complaint_book",
        category="other",
        received_at=MONDAY - timedelta(minutes=5),
        summary="Sent by e-mail.",
        registered_by=by,
        pages=[prepare_photo(upload("page.jpg", jpeg_bytes()))],
        draft=draft,
        **named,
    )


def badges(client, url) -> int:
    return client.get(url).content.decode().count('data-testid="draft-badge"')


def test_my_work_marks_the_draft_and_not_the_named_one(client, msk, operator):
    draft = register(msk, operator, draft=True)
    register(msk, operator, draft=False)
    client.force_login(operator)
    page = client.get(reverse("home")).content.decode()
    assert page.count('data-testid="my-complaint"') == 2
    assert page.count('data-testid="draft-badge"') == 1
    assert draft.register_number in page


def test_the_search_and_the_register_mark_the_draft(client, msk, bud):
    deputy = UserFactory(username="dd", role="Deputy director", branches=[])
    register(msk, UserFactory(username="op1", role="Operator", branches=[msk]), draft=True)
    register(bud, UserFactory(username="op2", role="Operator", branches=[bud]), draft=False)
    client.force_login(deputy)
    # "2026-1": number 1 of 2026 in every branch: Moscow's draft and Budapest's named complaint.
    response = client.get(reverse("search"), {"q": "2026-1"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="draft-badge"') == 1
    assert badges(client, reverse("complaints:list")) == 1
