"""A term as people say it, in English and Russian: the plural follows the last figure."""

import pytest
from django.utils import translation

from contactcenter.deadlines.rules import term_in_words


@pytest.mark.parametrize(
    ("language", "unit", "basis", "since", "upto", "words"),
    [
        ("en", "hours", "calendar", None, 1, "1 hour"),
        ("en", "hours", "calendar", None, 24, "24 hours"),
        ("en", "hours", "business", None, 4, "4 business hours"),
        ("en", "days", "business", 1, 2, "1–2 business days"),
        ("en", "minutes", "calendar", None, 1, "1 minute"),
        ("ru", "hours", "calendar", None, 1, "1 час"),
        ("ru", "hours", "calendar", None, 24, "24 часа"),
        ("ru", "hours", "calendar", None, 48, "48 часов"),
        ("ru", "days", "business", 2, 3, "2–3 рабочих дня"),
        ("ru", "days", "calendar", None, 21, "21 день"),
        ("ru", "minutes", "business", None, 5, "5 рабочих минут"),
    ],
)
def test_a_term_reads_with_the_right_plural(language, unit, basis, since, upto, words):
    with translation.override(language):
        assert term_in_words(unit=unit, basis=basis, upto=upto, since=since) == words
