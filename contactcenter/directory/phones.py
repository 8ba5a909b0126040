"""Customer phone numbers: stored in E.164, read in any spelling, shown in international format."""

import zoneinfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumbers import timezone as number_zones


def parse_phone(raw: str, region: str) -> str:
    """Return the number in E.164, reading a number without a country code as one of ``region``.

    A number written with its country code (``+36 ...``) is accepted from any country, since a branch
    serves travelling customers too; it must still be a valid, dialable number.
    """
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Enter a phone number."), code="required")
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("“%(value)s” is not a phone number."), code="invalid", params={"value": raw}) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number for %(region)s."),
            code="invalid",
            params={"value": raw, "region": region.upper()},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_candidates(raw: str, regions) -> set[str]:
    """Every E.164 number that ``raw`` can stand for in any of ``regions`` (for search)."""
    found = set()
    for region in regions:
        try:
            found.add(parse_phone(raw, region))
        except ValidationError:
            continue
    return found


def format_phone(e164: str) -> str:
    """``+74951234567`` → ``+7 495 123-45-67``."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def time_zone_of_number(e164: str) -> str:
    """The one time zone a number tells, or ``""``: a landline's area code tells (``+7 423`` is Vladivostok), a
    Russian mobile number does not (its operator's codes span the country from Kaliningrad to Kamchatka)."""
    try:
        zones = number_zones.time_zones_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return ""
    if len(zones) != 1:
        return ""
    try:
        zoneinfo.ZoneInfo(zones[0])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""  # phonenumbers' "Etc/Unknown"
    return zones[0]
