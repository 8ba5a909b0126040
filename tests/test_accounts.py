"""Login, lockout after repeated failures, password change and reset by e-mail."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


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
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "op", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "op", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_users_are_not_locked_by_someone_elses_failures(client, operator, onlooker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "op", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "looker", "password": PASSWORD})
    assert response.status_code == 302


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
    client.post(reverse("password_reset"), {"email": operator.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Fresh-secret-2026", "new_password2": "Fresh-secret-2026"},
    )
    operator.refresh_from_db()
    assert operator.check_password("Fresh-secret-2026")


def test_logout_needs_post_and_ends_the_session(client, operator):
    client.force_login(operator)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
