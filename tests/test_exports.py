"""The cells of every CSV download: what a spreadsheet would run as a formula is written as text."""

import pytest

from contactcenter.exports import spreadsheet_safe


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
