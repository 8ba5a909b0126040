# How Russian pages write days and moments (ГОСТ Р 7.0.97: 01.12.2026, 11:41): as the English pages of this
# product do, with the Russian decimal comma.
from contactcenter.formats.en.formats import *  # noqa: F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
