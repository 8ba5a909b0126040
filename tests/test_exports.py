"""Every CSV download: cells a spreadsheet would run as a formula written as text, rows read while they are sent,
one format for moments."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse

from contactcenter.exports import Column, csv_download, local_time, spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+7 (916) 000", "'+7 (916) 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("+79160000001", "+79160000001"),
        ("Ivanov;=cmd|' /C calc'!A0", "Ivanov;'=cmd|' /C calc'!A0"),
        ("Ivanov, =1+2", "Ivanov, '=1+2"),
        ("line one\n@SUM(A1)", "line one\n'@SUM(A1)"),
        ("=1;=2", "'=1;'=2"),
        ("Paid 5-10 roubles; a+b=c", "Paid 5-10 roubles; a+b=c"),
        ("Ivan Ivanov", "Ivan Ivanov"),
        (None, ""),
        (-3, -3),
        (-2.5, -2.5),
    ],
)
def test_a_cell(value, written):
    assert spreadsheet_safe(value) == written


def test_a_download_reads_its_rows_only_while_it_is_sent():
    read = []

    def rows():
        for number in range(3):
            read.append(number)
            yield number

    columns = [Column("Number", lambda number: number), Column("=", lambda number: f"={number}")]
    response = csv_download("numbers.csv", columns, rows())
    assert isinstance(response, StreamingHttpResponse) and read == []
    chunks = iter(response.streaming_content)
    assert next(chunks) == "\ufeff".encode() and next(chunks) == b"Number,'=\r\n" and read == []
    assert next(chunks) == b"0,'=0\r\n" and read == [0], "one row read for one line sent"
    assert b"".join(chunks) == b"1,'=1\r\n2,'=2\r\n"


def test_a_moment_is_written_in_the_zone_asked_for_in_one_format():
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # Budapest moves its clocks that night
    assert local_time(moment, ZoneInfo("Europe/Budapest")) == "29.03.2026 01:30"
    assert local_time(moment + timedelta(hours=1), ZoneInfo("Europe/Budapest")) == "29.03.2026 03:30"
    assert local_time(moment, ZoneInfo("Asia/Vladivostok")) == "29.03.2026 10:30"
    assert local_time(None, ZoneInfo("Europe/Moscow")) == ""


def _download(language, query=""):
    from django.test import RequestFactory
    from django.utils import translation

    columns = [
        Column("Name", lambda row: row[0]),
        Column("Share", lambda row: row[1]),
        Column("Late", lambda row: row[2]),
    ]
    with translation.override(language):
        response = csv_download(
            "x.csv", columns, [("Anna", 50.5, True), ("Boris", 7, False)], request=RequestFactory().get(f"/x/{query}")
        )
        if response.status_code != 200:
            return response.status_code, response.content.decode()
        return response.status_code, b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_russian_reader_gets_what_russian_excel_reads_semicolons_decimal_commas_and_words():
    assert _download("ru") == (200, "Name;Share;Late\r\nAnna;50,5;да\r\nBoris;7;нет\r\n")


def test_an_english_reader_gets_commas_and_the_separator_can_be_chosen_outright():
    assert _download("en") == (200, "Name,Share,Late\r\nAnna,50.5,yes\r\nBoris,7,no\r\n")
    assert _download("en", "?sep=semicolon")[1].startswith("Name;Share;Late\r\nAnna;50,5;yes")
    assert _download("ru", "?sep=comma")[1].startswith("Name,Share,Late\r\nAnna,50.5,да")


def test_an_unknown_separator_refuses_the_download_with_a_message():
    status, text = _download("en", "?sep=%7C")
    assert status == 400 and "nothing was exported" in text
