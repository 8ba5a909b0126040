"""The OpenAPI schema and the interactive docs, served without a login and without a CDN."""

import html
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_endpoint(anonymous):
    response = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/callbacks/",
        "/api/v1/callbacks/{number}/",
        "/api/v1/complaints/",
        "/api/v1/complaints/{register_number}/",
        "/api/v1/escalations/",
        "/api/v1/escalations/{number}/",
        "/api/v1/customers/open-cases/",
        "/api/v1/subscriptions/",
        "/api/v1/subscriptions/{subscription_id}/",
    }
    create = schema["paths"]["/api/v1/callbacks/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in create["parameters"]]
    assert "application/problem+json" in create["responses"]["400"]["content"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_load_swagger_ui_from_our_static_files(anonymous):
    response = anonymous.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-dist/swagger-ui-bundle.js" in source for source in sources)
    assert all(source.startswith("/") for source in sources), sources
    # No address of a content delivery network anywhere (a nonce is random text: only addresses are read).
    addresses = re.findall(r"(?:https?:)?//[\w.-]+", page)
    assert not [address for address in addresses if "cdn" in address.lower()], addresses
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_docs_start_swagger_ui_from_a_file_the_policy_allows(anonymous):
    """The page holds no inline script or style (the Content-Security-Policy refuses them): the start script is
    the page's own ?script answer, the style a static file."""
    page = anonymous.get("/api/v1/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=", page)
    [start] = [src for src in re.findall(r'<script src="([^"]+)"', page) if src.startswith("/api/v1/docs/")]
    script = anonymous.get(html.unescape(start))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode() and "/api/v1/schema/" in script.content.decode()
    assert "/static/css/api-docs.css" in page


def test_any_other_address_under_the_api_is_a_404_in_problem_details(api):
    for method in ("get", "post", "delete"):
        response = getattr(api, method)("/api/v1/nothing/here/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_a_method_the_endpoint_does_not_have_is_405_with_allow(api):
    response = api.delete("/api/v1/callbacks/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert response["Content-Type"] == "application/problem+json"


def test_a_nul_in_the_query_is_refused_as_problem_details(api):
    response = api.get("/api/v1/customers/open-cases/?phone=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "NUL" in response.json()["detail"]
