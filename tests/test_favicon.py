"""The product has an icon: in every page's head, the admin's too, and at /favicon.ico for browsers that ask."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_browsers_asking_for_favicon_ico_are_sent_to_the_icon_without_a_login(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert finders.find("favicon.svg"), "the icon is a file of static/"


def test_pages_and_the_admin_name_the_icon(client, db):
    link = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'

    assert link in client.get("/accounts/login/").content.decode()
    assert link in client.get("/admin/login/").content.decode()
