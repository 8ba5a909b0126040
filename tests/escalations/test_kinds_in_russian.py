"""An escalation's kind read in the reader's language wherever it appears: its page, the list's filter, the
figures page and both CSV downloads, the report, and the e-mail to a level's holders in each one's language."""

from django.urls import reverse

from contactcenter.alerts.models import OutboundEmail
from tests.downloads import streamed_csv

RUSSIAN = "Агрессия или угрозы"
ENGLISH = "Aggressive or threatening"


def _reads_russian(user):
    user.language = "ru"
    user.save()
    return user


def test_pages_filters_and_downloads_name_the_kind_in_russian(client, open_escalation, staff, monday_morning):
    escalation = open_escalation("aggressive")
    client.force_login(_reads_russian(staff["supervisor"]))
    detail = client.get(escalation.get_absolute_url()).content.decode()
    assert RUSSIAN in detail and ENGLISH not in detail
    assert "руководитель отдела вместе со службой безопасности" in detail, "who calls back, in Russian too"
    listing = client.get(reverse("escalations:list")).content.decode()
    assert f">{RUSSIAN}</option>" in listing and ENGLISH not in listing
    rows, _ = streamed_csv(client, reverse("escalations:list"), {"format": "csv"}, delimiter=";")
    assert rows[0][5] == "Вид" and rows[1][5] == RUSSIAN
    period = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    figures = client.get(reverse("escalations:figures"), period).content.decode()
    assert RUSSIAN in figures and ENGLISH not in figures
    rows, _ = streamed_csv(client, reverse("escalations:figures"), {**period, "format": "csv"}, delimiter=";")
    assert RUSSIAN in rows[0] and ENGLISH not in rows[0], "a kind is a column of the figures"


def test_the_report_names_the_kind_in_russian(client, open_escalation, staff, monday_morning):
    open_escalation("aggressive")
    client.force_login(_reads_russian(staff["supervisor"]))
    period = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    page = client.get(reverse("dashboard:escalation_figures"), period).content.decode()
    assert RUSSIAN in page and ENGLISH not in page


def test_the_notice_names_the_kind_in_each_recipients_language(open_escalation, staff, monday_morning):
    _reads_russian(staff["head"])
    staff["security"].language = "en"
    staff["security"].save()
    open_escalation("aggressive")
    bodies = {tuple(email.to): email.text_body for email in OutboundEmail.objects.filter(purpose="escalation_opened")}
    assert RUSSIAN in bodies[(staff["head"].email,)] and ENGLISH not in bodies[(staff["head"].email,)]
    assert ENGLISH in bodies[(staff["security"].email,)]


def test_the_history_names_the_kind_in_the_readers_language_for_old_entries_too(db):
    from django.utils import translation

    from escalations.history import _kind_name

    with translation.override("ru"):
        assert _kind_name("aggressive") == RUSSIAN, "what an entry keeps now: the code"
        assert _kind_name(ENGLISH) == RUSSIAN, "what an older entry kept: the English name"
        assert _kind_name("a kind since deleted") == "a kind since deleted"
        assert _kind_name(None) == "—"
