"""The register's channels and categories named in the reader's language, by names edited in the admin
(``complaints.models.ChoiceLabel``): the codes stay the program's, the names are the administrators'."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.models import Category, Channel, ChoiceLabel, choice_label, choice_list
from contactcenter.audit.models import AuditEntry
from tests import admin_pages as pages
from tests.downloads import streamed_csv
from tests.factories import ComplaintFactory


def _reads_russian(user):
    user.language = "ru"
    user.save()
    return user


def test_every_code_has_its_names_in_english_and_russian(db):
    names = {(row.field, row.value): row for row in ChoiceLabel.objects.all()}
    assert set(names) == {("channel", value) for value in Channel.values} | {
        ("category", value) for value in Category.values
    }
    assert all(row.missing_languages() == [] for row in names.values())
    with translation.override("ru"):
        assert choice_label("category", "waiting") == "время ожидания"
        assert choice_label("channel", "complaint_book") == "книга жалоб"
    assert choice_label("category", "waiting") == "waiting time"


def test_a_code_without_its_row_is_named_by_the_codes_own_label(db):
    ChoiceLabel.objects.filter(field="category", value="premises").delete()
    with translation.override("ru"):
        assert choice_label("category", "premises") == "помещения и оборудование", "the catalogue's, never the code"
    assert choice_label("category", "") == ""


def test_pages_filters_and_the_download_name_them_in_russian(client, msk, staff):
    complaint = ComplaintFactory(branch=msk, category=Category.WAITING)
    client.force_login(_reads_russian(staff["supervisor"]))
    detail = client.get(complaint.get_absolute_url()).content.decode()
    assert "время ожидания" in detail and "телефон" in detail and "waiting time" not in detail
    listing = client.get(reverse("complaints:list")).content.decode()
    assert '<option value="waiting">время ожидания</option>' in listing
    rows, _ = streamed_csv(client, reverse("complaints:export"), delimiter=";")
    assert "время ожидания" in rows[1] and "телефон" in rows[1]


def test_a_name_edited_in_the_admin_shows_at_the_next_page(admin_client, msk, staff):
    complaint = ComplaintFactory(branch=msk, category=Category.WAITING)
    reader = Client()
    reader.force_login(_reads_russian(staff["supervisor"]))
    assert "время ожидания" in reader.get(complaint.get_absolute_url()).content.decode()
    row = ChoiceLabel.objects.get(field="category", value="waiting")
    form = {"label": "waiting time", "label_ru": "долгое ожидание"}
    assert admin_client.post(pages.change_page(row), form).status_code == 302
    page = reader.get(complaint.get_absolute_url()).content.decode()
    assert "долгое ожидание" in page and "время ожидания" not in page
    assert AuditEntry.objects.filter(action="admin.changed").exists()
    with translation.override("ru"):
        assert ("waiting", "долгое ожидание") in choice_list("category")


def test_the_admin_refuses_a_name_without_russian_and_adds_or_deletes_no_code(admin_client, db):
    row = ChoiceLabel.objects.get(field="channel", value="phone")
    response = admin_client.post(pages.change_page(row), {"label": "telephone", "label_ru": ""})
    assert response.status_code == 200 and "Give it in Russian too." in response.content.decode()
    row.refresh_from_db()
    assert row.label == "phone"
    assert admin_client.get(pages.add_page(ChoiceLabel)).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403


def test_the_history_names_a_channel_in_the_readers_language_for_old_entries_too(db):
    from complaints.history import _channel

    ChoiceLabel.objects.filter(field="channel", value="letter").update(label="a letter")
    with translation.override("ru"):
        assert _channel("complaint_book") == "книга жалоб", "what an entry keeps now: the code"
        assert _channel("complaint book") == "книга жалоб", "what an older entry kept: the English name"
        assert _channel("a letter") == "письмо или почтовое отправление", "an English name the admin gave it"
        assert _channel("letter or post") == "письмо или почтовое отправление", "the code's own English label"
        assert _channel("something else") == "something else"
        assert _channel(None) == "—"
