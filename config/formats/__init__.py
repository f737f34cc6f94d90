"""One way to write dates in every language: 2026-12-01, and 2026-12-01 14:30 for a moment (in Asia/Shanghai).

Regulators' documents write dates like this; Django's own zh-hans formats would print 2026年12月1日 and its English
ones Dec. 1, 2026. `FORMAT_MODULE_PATH = "config.formats"` makes Django read `<language>/formats.py` below before
its own locale files, so templates (`{{ value }}`, `|date:"SHORT_DATE_FORMAT"`), django-tables2's DateColumn and
DateTimeColumn and form fields all use these; settings.py repeats them for code run with no language active.
"""

DATE_FORMAT = "Y-m-d"  # 2026-12-01
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y-m-d H:i"  # 2026-12-01 14:30
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"

# What forms read: the format shown first, then what people commonly type (Python strptime syntax).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
]
