import pytest
from django.core.exceptions import ValidationError

from contactcenter.directory.phones import format_phone, parse_phone, phone_candidates


@pytest.mark.parametrize(
    "raw",
    ["+7 916 123-45-67", "8 (916) 123-45-67", "89161234567", "+79161234567", "7 916 1234567", " +7(916)1234567 "],
)
def test_any_russian_spelling_gives_the_same_e164(raw):
    assert parse_phone(raw, "RU") == "+79161234567"


def test_a_number_without_country_code_is_read_in_the_branch_country():
    assert parse_phone("06 30 123 4567", "HU") == "+36301234567"
    assert parse_phone("30 123 4567", "HU") == "+36301234567"


def test_an_international_number_is_accepted_at_any_branch():
    assert parse_phone("+36 30 123 4567", "RU") == "+36301234567"


@pytest.mark.parametrize("raw", ["", "   ", "hello", "123", "+7 916 123", "+7 000 000-00-00"])
def test_bad_numbers_are_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as error:
        parse_phone(raw, "RU")
    assert error.value.messages[0]


def test_candidates_cover_every_region_that_can_read_the_number():
    assert phone_candidates("8 916 123 45 67", ["RU", "HU"]) == {"+79161234567"}
    assert phone_candidates("nonsense", ["RU", "HU"]) == set()


def test_display_format():
    assert format_phone("+74951234567") == "+7 495 123-45-67"
    assert format_phone("") == ""
