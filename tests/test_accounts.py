"""Login, lockout after repeated failures, password change and reset by e-mail."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

HOME, ELSEWHERE = "192.0.2.10", "203.0.113.66"  # the supervisor's office and somebody else's address
BALANCER = "10.0.0.5"  # the TLS-terminating load balancer in front of the web processes


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Dozens of failed logins hash a password each; the production hasher would make these tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, password, address=HOME, username="op", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, times, address=HOME, username="op", **headers):
    for _ in range(times):
        assert log_in(client, "wrong", address, username, **headers).status_code in (200, 429)


def through_balancer(client_address, forwarded=""):
    """A request as the balancer passes it on: it appends the address it saw to any X-Forwarded-For."""
    return {"address": BALANCER, "HTTP_X_FORWARDED_FOR": f"{forwarded}, {client_address}".lstrip(", ")}


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


def test_behind_a_trusted_balancer_the_pair_is_the_clients_address(client, operator, settings):
    """Every request comes from the balancer: without TRUSTED_PROXIES the pair would be the username alone, and
    five wrong passwords from anyone would keep the supervisor out again."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    fail(client, settings.AXES_FAILURE_LIMIT, **through_balancer(ELSEWHERE))
    assert log_in(client, PASSWORD, **through_balancer(ELSEWHERE)).status_code == 429, "the guesser is locked"
    assert log_in(client, PASSWORD, **through_balancer(HOME)).status_code == 302, "the supervisor still gets in"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ELSEWHERE}


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(client, operator, settings):
    """A client cannot choose its address: from an address not in TRUSTED_PROXIES the header is ignored, and
    behind the balancer only the address the balancer saw counts, not what the client wrote before it."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", ELSEWHERE, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert log_in(client, PASSWORD, ELSEWHERE, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    fail(client, settings.AXES_FAILURE_LIMIT, **through_balancer("198.51.100.7", forwarded=HOME))
    assert log_in(client, PASSWORD, **through_balancer("198.51.100.7", forwarded=HOME)).status_code == 429
    assert log_in(client, PASSWORD, **through_balancer(HOME)).status_code == 302, "HOME's own pair is untouched"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ELSEWHERE, "198.51.100.7"}


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, operator, settings):
    assert settings.TRUSTED_PROXIES == []
    fail(client, settings.AXES_FAILURE_LIMIT, **through_balancer(ELSEWHERE))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {BALANCER}


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
