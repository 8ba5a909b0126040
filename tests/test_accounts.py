"""Login, lockout after repeated failures, password change and reset by e-mail."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

HOME, ELSEWHERE = "192.0.2.10", "203.0.113.66"  # the supervisor's office and somebody else's address


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Dozens of failed logins hash a password each; the production hasher would make these tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, password, address=HOME, username="op"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, address=HOME, username="op"):
    for _ in range(times):
        assert log_in(client, "wrong", address, username).status_code in (200, 429)


def reset_password(client, user, new_password="Fresh-secret-2026"):
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")


def test_login_lands_on_the_home_page(client, operator):
    response = client.post(reverse("login"), {"username": "op", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == operator


def test_a_wrong_password_is_explained(client, operator):
    response = client.post(reverse("login"), {"username": "op", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, operator, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_users_are_not_locked_by_someone_elses_failures(client, operator, onlooker, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, PASSWORD, username="looker").status_code == 302


def test_failures_from_another_address_do_not_lock_the_user_out_of_their_own(client, operator, settings):
    fail(client, settings.AXES_FAILURE_LIMIT, address=ELSEWHERE)
    assert log_in(client, PASSWORD, address=ELSEWHERE).status_code == 429, "the guessing address is locked"
    assert log_in(client, PASSWORD, address=HOME).status_code == 302, "the supervisor still gets in"


def test_a_successful_login_does_not_forgive_another_addresss_failures(client, operator, settings):
    fail(client, settings.AXES_FAILURE_LIMIT - 1, address=ELSEWHERE)
    assert log_in(client, PASSWORD, address=HOME).status_code == 302
    client.logout()
    fail(client, 1, address=ELSEWHERE)
    assert log_in(client, PASSWORD, address=ELSEWHERE).status_code == 429


def test_twenty_failures_from_any_addresses_lock_the_username_everywhere(client, operator, settings):
    assert settings.AXES_USERNAME_FAILURE_LIMIT == 20
    addresses = [f"198.51.100.{n}" for n in range(4)]
    for address in addresses[:3]:
        fail(client, 5, address=address)
    fail(client, 4, address=addresses[3])
    assert log_in(client, PASSWORD, address=HOME).status_code == 302, "19 failures: not yet"
    client.logout()
    fail(client, 1, address=addresses[3])
    response = log_in(client, PASSWORD, address=HOME)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_a_completed_password_reset_ends_the_lockout(client, operator, settings):
    for n in range(4):
        fail(client, 5, address=f"198.51.100.{n}")
    assert log_in(client, PASSWORD, address=HOME).status_code == 429
    reset_password(client, operator)
    assert not AccessAttempt.objects.filter(username="op").exists()
    assert log_in(client, "Fresh-secret-2026", address=HOME).status_code == 302


def test_a_password_set_by_an_administrator_ends_the_lockout(client, admin_client, operator, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[operator.pk]),
        {"password1": "Set-by-admin-2026", "password2": "Set-by-admin-2026"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="op").exists()
    assert log_in(client, "Set-by-admin-2026").status_code == 302


def test_password_change(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "A-much-better-secret-9",
            "new_password2": "A-much-better-secret-9",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("A-much-better-secret-9")


def test_password_reset_by_email(client, operator):
    reset_password(client, operator)
    assert len(mail.outbox) == 1
    operator.refresh_from_db()
    assert operator.check_password("Fresh-secret-2026")


def test_logout_needs_post_and_ends_the_session(client, operator):
    client.force_login(operator)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
