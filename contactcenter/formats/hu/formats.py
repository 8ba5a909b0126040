# How Hungarian pages write days and moments (MSZ: 2026.12.01., 11:41); input as in en/formats.py, printed first.
DATE_FORMAT = "Y.m.d."
SHORT_DATE_FORMAT = "Y.m.d."
DATETIME_FORMAT = "Y.m.d. H:i"
SHORT_DATETIME_FORMAT = "Y.m.d. H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "m.d."
YEAR_MONTH_FORMAT = "Y.m."
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y.%m.%d.", "%Y.%m.%d", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y.%m.%d. %H:%M",
    "%Y.%m.%d. %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
