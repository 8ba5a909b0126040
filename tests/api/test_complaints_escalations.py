"""Complaints (photos as multipart files or base64, through the form's photo checks), escalations, and a
customer's open cases by phone, through the same services as the pages."""

import base64

import pytest

from complaints.models import Complaint, ComplaintPage
from escalations.models import Escalation
from tests.complaints.sample_files import jpeg_bytes, pdf_bytes, png_claiming, upload
from tests.factories import BranchFactory, CustomerFactory, UserFactory
from tests.moments import moscow

from .test_callbacks import URL as CALLBACKS
from .test_callbacks import body as callback_body
from .test_callbacks import errors_of

pytestmark = pytest.mark.django_db

COMPLAINTS = "/api/v1/complaints/"
ESCALATIONS = "/api/v1/escalations/"
OPEN_CASES = "/api/v1/customers/open-cases/"


def complaint_body(**overrides):
    return {
        "branch": "MSK",
        "customer_phone": "+79161234567",
        "customer_name": "Ivan Ivanov",
        "channel": "website",
        "category": "service",
        "received_at": moscow(2026, 11, 23, 9, 30).isoformat(),
        "summary": "Nobody answered my letter.",
        **overrides,
    }


def b64(data: bytes, name="page.jpg") -> dict:
    return {"name": name, "content": base64.b64encode(data).decode()}


class TestComplaints:
    def test_registers_a_complaint_with_its_number_and_clocks(self, api, monday_morning):
        response = api.post(COMPLAINTS, complaint_body(), format="json")
        assert response.status_code == 201, response.json()
        complaint = Complaint.objects.get()
        data = response.json()
        assert data["number"] == complaint.register_number == "MSK-2026-00001"
        assert data["status"] == "registered"
        assert {clock["kind"] for clock in data["clocks"]} == {"complaint_forwarding", "complaint_answer"}
        assert complaint.registered_by.api_client.name == "IVR"

    def test_photos_in_base64_go_through_the_photo_checks(self, api, monday_morning, media):
        response = api.post(
            COMPLAINTS,
            complaint_body(channel="complaint_book", photos_base64=[b64(jpeg_bytes(gps=True)), b64(jpeg_bytes())]),
            format="json",
        )
        assert response.status_code == 201, response.json()
        pages = ComplaintPage.objects.order_by("position")
        assert [page.position for page in pages] == [1, 2]
        assert pages[1].duplicate_of == pages[0], "the same photo twice is flagged, as on the form"
        assert response.json()["pages"] == 2

    def test_photos_as_multipart_files(self, api, monday_morning):
        data = {**complaint_body(channel="complaint_book"), "photos": [upload("a.jpg", jpeg_bytes())]}
        response = api.post(COMPLAINTS, data, format="multipart")
        assert response.status_code == 201, response.json()
        assert ComplaintPage.objects.get().original_name == "a.jpg"

    @pytest.mark.parametrize(
        "photo",
        [
            b64(pdf_bytes(), "letter.pdf"),
            b64(png_claiming(20000, 20000), "bomb.png"),
            b64(b"", "empty.jpg"),
            {"name": "x.jpg", "content": "not base64!"},
            {"name": "x.jpg"},
            {"name": "x.jpg", "content": "", "extra": 1},
        ],
    )
    def test_a_bad_photo_is_refused_and_nothing_is_stored(self, api, monday_morning, media, photo):
        response = api.post(COMPLAINTS, complaint_body(photos_base64=[photo]), format="json")
        assert response.status_code == 400
        assert any(field.startswith("photos") for field in errors_of(response))
        assert not Complaint.objects.exists()
        assert not [path for path in media.rglob("*") if path.is_file()]

    def test_an_oversized_photo_is_refused(self, api, monday_morning, settings):
        settings.COMPLAINT_PHOTO_MAX_BYTES = 1000
        response = api.post(
            COMPLAINTS, complaint_body(photos=[upload("big.jpg", jpeg_bytes((800, 600)))]), format="multipart"
        )
        assert "photos" in errors_of(response)
        assert not Complaint.objects.exists()

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"channel": "complaint_book"}, "pages"),
            ({"received_at": moscow(2026, 11, 24, 9, 0).isoformat()}, "received_at"),
            ({"received_at": moscow(2020, 1, 1, 9, 0).isoformat()}, "received_at"),
            ({"category": "weather"}, "category"),
            ({"summary": "   "}, "summary"),
            ({"photos": "x"}, "photos"),
        ],
    )
    def test_the_rules_of_the_form_apply(self, api, monday_morning, overrides, field):
        response = api.post(COMPLAINTS, complaint_body(**overrides), format="json")
        assert response.status_code == 400
        assert field in errors_of(response)
        assert not Complaint.objects.exists()

    def test_reads_the_status_by_register_number(self, api, monday_morning):
        api.post(COMPLAINTS, complaint_body(), format="json")
        response = api.get(f"{COMPLAINTS}msk-2026-00001/")
        assert response.status_code == 200
        assert response.json()["due_at"] == min(clock["due_at"] for clock in response.json()["clocks"])
        assert api.get(f"{COMPLAINTS}MSK-2026-00002/").status_code == 404

    def test_idempotent_with_multipart_too(self, api, monday_morning):
        def send():
            data = {**complaint_body(channel="complaint_book"), "photos": [upload("a.jpg", jpeg_bytes())]}
            return api.post(COMPLAINTS, data, format="multipart", HTTP_IDEMPOTENCY_KEY="complaint-1")

        assert send().json() == send().json()
        assert Complaint.objects.count() == 1


class TestEscalations:
    def test_opens_an_escalation_that_the_supervisor_calls_back(self, api, monday_morning):
        response = api.post(
            ESCALATIONS,
            {
                "branch": "MSK",
                "customer_phone": "+79161234567",
                "customer_name": "Ivan Ivanov",
                "kind": "demands_supervisor",
                "customer_wants": "To speak to a supervisor about my loan.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        escalation = Escalation.objects.get()
        assert escalation.opened_by.api_client.name == "IVR"
        data = response.json()
        assert (data["number"], data["kind"], data["level"]) == (str(escalation.pk), "demands_supervisor", "supervisor")
        assert data["due_at"] is not None
        assert api.get(f"{ESCALATIONS}{escalation.pk}/").json() == data

    def test_a_kind_about_an_operator_needs_the_operator(self, api, msk, monday_morning):
        fields = {
            "branch": "MSK",
            "customer_phone": "+79161234567",
            "customer_name": "Ivan Ivanov",
            "kind": "complaint_about_operator",
            "customer_wants": "The operator was rude.",
        }
        assert "about_operator" in errors_of(api.post(ESCALATIONS, fields, format="json"))
        assert "about_operator" in errors_of(
            api.post(ESCALATIONS, {**fields, "about_operator": "nobody"}, format="json")
        )
        UserFactory(username="sup7", role="Supervisor", branches=[msk])
        refused = api.post(ESCALATIONS, {**fields, "about_operator": "sup7"}, format="json")
        assert "is not an operator of branch MSK" in errors_of(refused)["about_operator"], "the form's rule too"
        assert not Escalation.objects.exists()
        UserFactory(username="op7", role="Operator", branches=[msk])
        response = api.post(ESCALATIONS, {**fields, "about_operator": "op7"}, format="json")
        assert response.status_code == 201
        assert Escalation.objects.get().about_operator.username == "op7"

    def test_a_client_without_the_scope_cannot_open_one(self, make_client, anonymous, monday_morning):
        _client, token = make_client("Website", scopes=["callbacks:write"])
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = anonymous.post(ESCALATIONS, {"branch": "MSK"}, format="json")
        assert response.status_code == 403
        assert not Escalation.objects.exists()

    def test_an_unknown_kind_is_refused(self, api, monday_morning):
        response = api.post(
            ESCALATIONS,
            {"branch": "MSK", "customer_phone": "+79161234567", "kind": "x", "customer_wants": "?"},
            format="json",
        )
        assert "kind" in errors_of(response)


class TestOpenCases:
    def test_lists_the_open_cases_of_the_customer_by_any_spelling(self, api, msk, monday_morning):
        api.post(CALLBACKS, callback_body(), format="json")
        api.post(COMPLAINTS, complaint_body(), format="json")
        other = BranchFactory(code="EKB", time_zone="Asia/Yekaterinburg")
        CustomerFactory(branch=other, phone="+79161234567")
        response = api.get(OPEN_CASES, {"phone": "8 916 123 45 67"})
        assert response.status_code == 200
        assert [(case["type"], case["status"]) for case in response.json()["cases"]] == [
            ("callback", "open"),
            ("complaint", "registered"),
        ]

    def test_an_unknown_number_has_no_cases(self, api, monday_morning):
        assert api.get(OPEN_CASES, {"phone": "+79160000000"}).json()["cases"] == []

    @pytest.mark.parametrize(
        "query, field",
        [
            ({}, "phone"),
            ({"phone": "abc"}, "phone"),
            ({"phone": "+79161234567", "branch": "BUD"}, "branch"),
            ({"phone": "+79161234567", "x": "1"}, "x"),
        ],
    )
    def test_bad_queries_are_400(self, api, bud, query, field):
        assert field in errors_of(api.get(OPEN_CASES, query))
