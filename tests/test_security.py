"""Hardening: a Content-Security-Policy without 'unsafe-inline' on every HTML page and no inline script or style
left in the templates; no-store behind the login; the product's 403/404/500 pages with the request id and no
internals; DEBUG refused in production; the mail server's raw error for administrators only."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from contactcenter.alerts.models import Alert, MailServerStatus
from contactcenter.deadlines import services as clocks
from contactcenter.deadlines.models import Level
from tests.factories import CustomerFactory, UserFactory
from tests.test_settings import PRODUCTION_ENV, run_manage

ROOT = Path(__file__).resolve().parent.parent
RAW_ERROR = "SMTPRecipientsRefused: 550 relay denied for mail.internal.example:25"
PLAIN = "the mail server did not accept it yet"


def test_every_html_page_has_a_policy_without_unsafe_inline(client, operator):
    for response in (client.get("/accounts/login/"), client.get("/no-such-page/")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    client.force_login(operator)
    assert "frame-ancestors 'none'" in client.get("/customers/")["Content-Security-Policy"]
    assert "Content-Security-Policy" not in client.get("/health/")


# E-mails keep inline styles: a mail client ignores style sheets, and no policy applies to them.
EMAIL_TEMPLATES = ("/email/", "emails/", "alerts/digest.html")
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler": re.compile(r"\son[a-z]+=", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_an_inline_script_or_style():
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(".venv/") or any(part in relative for part in EMAIL_TEMPLATES):
            continue
        text = path.read_text()
        found += [f"{relative}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == []


def test_the_check_finds_inline_code():
    assert INLINE["inline script"].search("<script>alert(1)</script>")
    assert not INLINE["inline script"].search('<script src="/static/a.js"></script>')
    assert INLINE["event handler"].search('<button onclick="go()">')
    assert INLINE["style attribute"].search('<div style="color: red">')


def test_pages_behind_the_login_are_not_stored(client, operator):
    client.force_login(operator)
    for path in ("/", "/customers/", "/callbacks/", "/no-such-page/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_the_404_page_has_the_layout_and_the_request_id(client, operator):
    client.force_login(operator)
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-page"' in html and 'class="navbar' in html
    assert 'data-testid="request-id">req-404<' in html


def test_the_403_page(client, operator):
    client.force_login(operator)
    # Only administrators may send failed alerts again: an operator's POST answers 403, with our page.
    response = client.post("/attention/retry/", HTTP_X_REQUEST_ID="req-403")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-page"' in html and "req-403" in html


def test_a_refused_csrf_check_gets_the_403_page(operator, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    response = client.post("/callbacks/new/", {}, HTTP_X_REQUEST_ID="req-csrf")
    assert response.status_code == 403
    html = response.content.decode()
    assert "too old" in html and "req-csrf" in html and "CSRF" not in html


@pytest.mark.urls("tests.error_urls")
def test_the_500_page_shows_the_request_id_and_no_internals(client, operator):
    client.raise_request_exception = False
    client.force_login(operator)
    response = client.get("/fail/", HTTP_X_REQUEST_ID="req-500")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="error-page"' in html and "req-500" in html
    assert "hunter2" not in html and "RuntimeError" not in html and "Traceback" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_debug_is_refused_in_production(tmp_path):
    result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": "true", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["contactcenter: DEBUG must be off with DJANGO_ENV=production"]


@pytest.fixture
def failed_alert(msk, operator, policy):
    clock = clocks.open_clock(
        case=CustomerFactory(branch=msk),
        kind=policy.kind,
        branch=msk,
        owner=operator,
        due_at=timezone.now() + timedelta(hours=1),
    )
    now = timezone.now()
    MailServerStatus.record_failure(error=RAW_ERROR, at=now)
    return Alert.objects.create(
        deadline=clock,
        level=Level.OVERDUE,
        recipient=operator,
        created_at=now,
        next_attempt_at=now,
        failed_at=now,
        attempts=12,
        last_error=RAW_ERROR,
    )


def test_staff_read_a_plain_sentence_and_administrators_the_mail_servers_words(client, msk, failed_alert):
    supervisor = UserFactory(username="sup-mail", role="Supervisor", branches=[msk])
    administrator = UserFactory(username="adm-mail", role="Administrator", branches=[msk], is_staff=True)
    client.force_login(supervisor)
    html = client.get("/attention/").content.decode()
    assert "relay denied" not in html
    assert PLAIN in html
    client.force_login(administrator)
    assert "relay denied" in client.get("/attention/").content.decode()


def test_the_admin_shows_the_raw_error_only_to_administrators(client, msk, failed_alert, root):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_alert", "view_mailserverstatus"]))
    client.force_login(viewer)
    change = f"/admin/alerts/alert/{failed_alert.pk}/change/"
    assert client.get(change).status_code == 200
    assert "relay denied" not in client.get(change).content.decode()
    assert "relay denied" not in client.get("/admin/alerts/mailserverstatus/").content.decode()
    client.force_login(root)
    assert "relay denied" in client.get(change).content.decode()
    assert "relay denied" in client.get("/admin/alerts/mailserverstatus/").content.decode()
