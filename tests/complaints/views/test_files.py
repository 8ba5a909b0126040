"""Photos are personal data: only through the checking view, to those who may see the complaint."""

from django.urls import reverse

from tests.factories import UserFactory


def test_a_photo_is_served_only_through_the_checking_view(client, complaint, operator, onlooker):
    page = complaint.pages.get()
    for user in (operator, onlooker):
        client.force_login(user)
        for url in (page.get_absolute_url(), page.thumbnail_url):
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/jpeg"
            assert response["Cache-Control"] == "private, no-store"
            assert response["Content-Disposition"] == 'inline; filename="MSK-2026-00001-page-1.jpg"'
            assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_a_photo_is_refused_to_another_branch_and_to_anonymous_visitors(client, complaint, stranger):
    page = complaint.pages.get()
    anonymous = client.get(page.get_absolute_url())
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    client.force_login(stranger)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert client.get(page.thumbnail_url).status_code == 404


def test_a_photo_is_refused_to_a_user_without_the_permission(client, complaint, msk):
    nobody = UserFactory(username="nobody", branches=[msk])
    client.force_login(nobody)
    assert client.get(complaint.pages.get().get_absolute_url()).status_code == 403


def test_the_media_folder_has_no_public_address(client, complaint, operator):
    client.force_login(operator)
    name = complaint.pages.get().image.name
    from django.conf import settings

    assert client.get(settings.MEDIA_URL + name).status_code == 404
    assert client.get("/media/" + name).status_code == 404
