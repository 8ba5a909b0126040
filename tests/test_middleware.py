"""A NUL character anywhere a request carries text answers 400 with a short message, before any page (and so
PostgreSQL, which refuses NUL in any text) sees it; uploads, whose bytes are full of NULs, still work."""

import pytest
from django.db import DataError, connection
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint
from tests.complaints.sample_files import jpeg_bytes, upload

MESSAGE = "The request contains a NUL character, which is not allowed."

PAGES = [
    ("/customers/", {"q": "Iva\x00n"}),
    ("/complaints/new/customer/", {"branch": "MSK", "customer_phone": "+7916\x001234567"}),
    ("/branches/MSK\x00/", {}),
    ("/callbacks/", {"q": "\x00"}),
    ("/callbacks/", {"due_after": "2026-11-01\x00"}),
    ("/complaints/", {"q": "MSK\x00"}),
    ("/complaints/", {"received_after": "\x00"}),
    ("/escalations/", {"q": "\x00"}),
    ("/escalations/figures/", {"date_from": "2026-11-01\x00"}),
    ("/dashboard/reports/promises/", {"branch": "\x00"}),
    ("/admin/directory/customer/", {"q": "\x00"}),
    ("/admin/autocomplete/", {"app_label": "directory", "model_name": "team", "field_name": "branch", "term": "\x00"}),
    ("/customers/", {"q\x00": "Ivan"}),
]


def with_branch(query: dict, branch) -> dict:
    return {key: str(branch.pk) if value == branch.code else value for key, value in query.items()}


@pytest.fixture
def signed_in(admin_client, msk):
    return admin_client


@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{path} {list(query)}" for path, query in PAGES])
def test_a_nul_in_the_path_or_a_query_answers_400(signed_in, msk, path, query):
    response = signed_in.get(path, with_branch(query, msk))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == MESSAGE


def test_the_same_pages_answer_without_the_nul(signed_in, msk):
    """The refusal is about the NUL, not the page: the same requests without it are answered."""
    for path, query in PAGES[:2] + PAGES[3:-1]:
        clean = {key: value.replace("\x00", "") for key, value in with_branch(query, msk).items()}
        assert signed_in.get(path, clean).status_code in (200, 302), path
    assert signed_in.get("/branches/MSK/").status_code == 200


def test_a_nul_in_a_form_field_or_a_cookie_answers_400(signed_in, msk):
    assert signed_in.post(reverse("complaints:register"), {"summary": "Wait\x00ed"}).status_code == 400
    signed_in.cookies["sessionid"] = "abc\x00def"
    assert signed_in.get("/customers/").status_code == 400


def test_the_message_is_translated(signed_in):
    with translation.override("ru"):
        response = signed_in.get("/customers/", {"q": "\x00"}, headers={"accept-language": "ru"})
    assert response.status_code == 400
    assert response.content.decode() == "Запрос содержит символ NUL, а он недопустим."


def test_an_uploaded_photo_full_of_nuls_is_still_accepted(client, operator, msk, people, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    photo = jpeg_bytes()
    assert b"\x00" in photo
    client.force_login(operator)
    response = client.post(
        reverse("complaints:register"),
        {
            "branch": msk.pk,
            "received_at": "2026-11-23T10:00",
            "channel": "complaint_book",
            "category": "service",
            "customer_phone": "8 916 123-45-67",
            "customer_name": "Ivan Ivanov",
            "summary": "Waited an hour at the desk.",
            "pages": [upload("page.jpg", photo)],
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().pages.count() == 1


@pytest.mark.postgres
def test_postgresql_refuses_a_nul_which_is_why_the_requests_stop_before_it(signed_in):
    """Without the middleware this search reaches PostgreSQL, which raises instead of answering."""
    assert connection.vendor == "postgresql"
    with pytest.raises(DataError, match="NUL"), connection.cursor() as cursor:
        cursor.execute("SELECT %s", ["Iva\x00n"])
