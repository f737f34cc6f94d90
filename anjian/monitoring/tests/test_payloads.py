"""The ingest's payload parser: every rule of anjian.monitoring.payloads, each with a test that fails if it breaks."""

import json
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.monitoring.payloads import (
    FUTURE_TOLERANCE,
    LABELS,
    MAX_BATCH,
    MAX_DEAD_PAYLOAD_CHARS,
    MAX_PAYLOAD_BYTES,
    MAX_QUOTE_CHARS,
    DeadLetter,
    Parsed,
    Reading,
    Reason,
    parse_batch,
    parse_message,
    parse_timestamp,
    parse_topic,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
NOW_MS = 1_796_176_800_000
RETENTION = timedelta(days=90)
USCC = "91350100M000100Y43"
TOPIC = f"anjian/{USCC}/T-001"
BATCH_TOPIC = f"anjian/{USCC}/batch"
# The reasons only the ingest, with the database, gives.
DATABASE_REASONS = {Reason.UNKNOWN_SENSOR, Reason.UNKNOWN_ENTERPRISE}


def parse(topic: str, payload: bytes | str | dict | list) -> Parsed:
    if isinstance(payload, dict | list):
        payload = json.dumps(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return parse_message(topic, payload, now=NOW, retention=RETENTION)


def only_dead(parsed: Parsed) -> DeadLetter:
    assert parsed.readings == []
    assert len(parsed.dead) == 1
    return parsed.dead[0]


def test_epoch_constant_is_now():
    assert datetime.fromtimestamp(NOW_MS / 1000, UTC) == NOW


# --- topics -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        (f"anjian/{USCC}/T-001", (USCC, "T-001")),
        ("anjian/91350100m000100y43/T-001", (USCC, "T-001")),  # upper-cased; check digit not validated here
        ("anjian/abc/batch", ("ABC", "batch")),
        ("anjian/ abc / t1 ", ("ABC", "t1")),
        ("anjian/abc", None),
        ("anjian/abc/t1/extra", None),
        ("/anjian/abc/t1", None),
        ("other/abc/t1", None),
        ("ANJIAN/abc/t1", None),
        ("anjian//t1", None),
        ("anjian/abc/", None),
        ("anjian/ /t1", None),
        ("anjian/abc/t\x001", None),
        ("", None),
    ],
)
def test_parse_topic(topic, expected):
    assert parse_topic(topic) == expected


# --- good readings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        (NOW_MS, NOW),
        (NOW_MS - 1, NOW - timedelta(milliseconds=1)),
        (float(NOW_MS) + 0.5, NOW + timedelta(microseconds=500)),
        (1_796_176_799_999.0, NOW - timedelta(milliseconds=1)),
        ("2026-12-02T10:00:00+08:00", NOW),
        ("2026-12-02T02:00:00Z", NOW),
        ("2026-12-02T02:00:00+00:00", NOW),
        ("2026-12-01T21:00:00.250-05:00", NOW + timedelta(milliseconds=250)),
    ],
)
@pytest.mark.parametrize("value", [12.5, 3, -0.0, 1e300])
def test_good_single_reading(ts, expected, value):
    parsed = parse(TOPIC, {"ts": ts, "v": value})
    assert parsed.dead == []
    assert parsed.readings == [Reading(USCC, "T-001", expected, float(value))]
    reading = parsed.readings[0]
    assert reading.ts.utcoffset() == timedelta(0)
    assert type(reading.value) is float


def test_single_reading_ignores_other_keys():
    parsed = parse(TOPIC, {"ts": NOW_MS, "v": 1, "unit": "℃", "sensor": "ignored"})
    assert parsed.readings == [Reading(USCC, "T-001", NOW, 1.0)]


def test_good_batch():
    parsed = parse(
        BATCH_TOPIC,
        {
            "readings": [
                {"sensor": "T-001", "ts": NOW_MS, "v": 1},
                {"sensor": " P-002 ", "ts": "2026-12-02T09:59:00+08:00", "v": 0.25},
                {"sensor": "T-001", "ts": NOW_MS, "v": 1},  # a duplicate is the database's business
            ]
        },
    )
    assert parsed.dead == []
    assert parsed.readings == [
        Reading(USCC, "T-001", NOW, 1.0),
        Reading(USCC, "P-002", NOW - timedelta(minutes=1), 0.25),
        Reading(USCC, "T-001", NOW, 1.0),
    ]


def test_empty_batch_gives_nothing():
    assert parse(BATCH_TOPIC, {"readings": []}) == Parsed([], [])


def test_batch_mixing_good_and_bad_keeps_the_good_and_refuses_each_bad_one():
    elements = [
        {"sensor": "A", "ts": NOW_MS, "v": 1},
        {"ts": NOW_MS, "v": 2},
        {"sensor": "C", "ts": NOW_MS, "v": "12.5"},
        {"sensor": "D", "ts": NOW_MS, "v": 4},
        "not an object",
        {"sensor": "F", "ts": "2026-12-02T10:00:00", "v": 6},
        {"sensor": "G", "ts": NOW_MS - 60_000, "v": 7},
    ]
    parsed = parse(BATCH_TOPIC, {"readings": elements})
    assert [(r.sensor, r.value) for r in parsed.readings] == [("A", 1.0), ("D", 4.0), ("G", 7.0)]
    assert [(d.reason, d.sensor) for d in parsed.dead] == [
        (Reason.MISSING_SENSOR, ""),
        (Reason.NOT_NUMERIC, "C"),
        (Reason.NOT_AN_OBJECT, ""),
        (Reason.NAIVE_TIMESTAMP, "F"),
    ]
    for dead, index in zip(parsed.dead, [1, 2, 4, 5], strict=True):
        assert dead.payload == json.dumps(elements[index], ensure_ascii=False)  # that element, not the message
        assert dead.detail.startswith(f"readings[{index}]：")
        assert dead.topic == BATCH_TOPIC
        assert dead.uscc == USCC


# --- every reason the parser gives --------------------------------------------------------------------------------

LONG = "x" * 100

CASES = [
    # (id, topic, payload, reason)
    ("two levels", "anjian/abc", b'{"ts": 1, "v": 1}', Reason.BAD_TOPIC),
    ("wrong prefix", "sensors/abc/t1", b'{"ts": 1, "v": 1}', Reason.BAD_TOPIC),
    ("empty uscc", "anjian//t1", b"{}", Reason.BAD_TOPIC),
    ("too large", TOPIC, b" " * (MAX_PAYLOAD_BYTES + 1), Reason.PAYLOAD_TOO_LARGE),
    ("latin-1", TOPIC, '{"ts": 1, "v": 1, "u": "°C"}'.encode("latin-1"), Reason.NOT_UTF8),
    ("encoded surrogate", TOPIC, b'{"v": "\xed\xa0\x80"}', Reason.NOT_UTF8),
    ("truncated", TOPIC, b'{"ts": 1, "v":', Reason.MALFORMED_JSON),
    ("empty", TOPIC, b"", Reason.MALFORMED_JSON),
    ("single quotes", TOPIC, b"{'ts': 1, 'v': 1}", Reason.MALFORMED_JSON),
    ("bom", TOPIC, b'\xef\xbb\xbf{"ts": 1, "v": 1}', Reason.MALFORMED_JSON),
    ("raw nul", TOPIC, b'{"v": "a\x00b"}', Reason.MALFORMED_JSON),
    ("too deep", TOPIC, b"[" * 100_000, Reason.MALFORMED_JSON),
    ("int too long", TOPIC, b'{"ts": 1, "v": ' + b"9" * 5000 + b"}", Reason.MALFORMED_JSON),
    ("array", TOPIC, b"[]", Reason.NOT_AN_OBJECT),
    ("number", TOPIC, b"12.5", Reason.NOT_AN_OBJECT),
    ("null", TOPIC, b"null", Reason.NOT_AN_OBJECT),
    ("batch array", BATCH_TOPIC, b"[]", Reason.NOT_AN_OBJECT),
    ("batch no readings", BATCH_TOPIC, b'{"ts": 1, "v": 1}', Reason.NOT_AN_OBJECT),
    ("batch readings object", BATCH_TOPIC, b'{"readings": {"sensor": "a"}}', Reason.NOT_AN_OBJECT),
    ("batch too large", BATCH_TOPIC, json.dumps({"readings": [{}] * (MAX_BATCH + 1)}), Reason.BATCH_TOO_LARGE),
    ("no v", TOPIC, {"ts": NOW_MS}, Reason.MISSING_VALUE),
    ("v null", TOPIC, {"ts": NOW_MS, "v": None}, Reason.MISSING_VALUE),
    ("v string", TOPIC, {"ts": NOW_MS, "v": "12.5"}, Reason.NOT_NUMERIC),
    ("v long string", TOPIC, {"ts": NOW_MS, "v": LONG}, Reason.NOT_NUMERIC),
    ("v true", TOPIC, {"ts": NOW_MS, "v": True}, Reason.NOT_NUMERIC),
    ("v false", TOPIC, {"ts": NOW_MS, "v": False}, Reason.NOT_NUMERIC),
    ("v list", TOPIC, {"ts": NOW_MS, "v": [1]}, Reason.NOT_NUMERIC),
    ("v object", TOPIC, {"ts": NOW_MS, "v": {"value": 1}}, Reason.NOT_NUMERIC),
    ("NaN", TOPIC, f'{{"ts": {NOW_MS}, "v": NaN}}', Reason.NOT_FINITE),
    ("Infinity", TOPIC, f'{{"ts": {NOW_MS}, "v": Infinity}}', Reason.NOT_FINITE),
    ("-Infinity", TOPIC, f'{{"ts": {NOW_MS}, "v": -Infinity}}', Reason.NOT_FINITE),
    ("1e400", TOPIC, f'{{"ts": {NOW_MS}, "v": 1e400}}', Reason.NOT_FINITE),
    ("int beyond float", TOPIC, f'{{"ts": {NOW_MS}, "v": {10**400}}}', Reason.NOT_FINITE),
    ("no ts", TOPIC, {"v": 1}, Reason.MISSING_TIMESTAMP),
    ("ts null", TOPIC, {"ts": None, "v": 1}, Reason.MISSING_TIMESTAMP),
    ("ts true", TOPIC, {"ts": True, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts false", TOPIC, {"ts": False, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts word", TOPIC, {"ts": "yesterday", "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts digits as string", TOPIC, {"ts": str(NOW_MS), "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts empty string", TOPIC, {"ts": "", "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts too long", TOPIC, {"ts": "2026-12-02T10:00:00+08:00" + " " * 100, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts leap second", TOPIC, {"ts": "2026-12-31T23:59:60Z", "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts list", TOPIC, {"ts": [NOW_MS], "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts 1e300", TOPIC, {"ts": 1e300, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts -1e300", TOPIC, {"ts": -1e300, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts huge int", TOPIC, {"ts": 10**30, "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts NaN", TOPIC, '{"ts": NaN, "v": 1}', Reason.BAD_TIMESTAMP),
    ("ts Infinity", TOPIC, '{"ts": Infinity, "v": 1}', Reason.BAD_TIMESTAMP),
    ("ts before year 1 in UTC", TOPIC, {"ts": "0001-01-01T00:00:00+08:00", "v": 1}, Reason.BAD_TIMESTAMP),
    ("ts naive", TOPIC, {"ts": "2026-12-02T10:00:00", "v": 1}, Reason.NAIVE_TIMESTAMP),
    ("ts date only", TOPIC, {"ts": "2026-12-02", "v": 1}, Reason.NAIVE_TIMESTAMP),
    ("ts future", TOPIC, {"ts": NOW_MS + 3_600_000, "v": 1}, Reason.FUTURE_TIMESTAMP),
    ("ts future iso", TOPIC, {"ts": "2026-12-02T11:00:00+08:00", "v": 1}, Reason.FUTURE_TIMESTAMP),
    ("ts too old", TOPIC, {"ts": 0, "v": 1}, Reason.TOO_OLD),
    ("ts too old iso", TOPIC, {"ts": "2020-01-01T00:00:00Z", "v": 1}, Reason.TOO_OLD),
    ("ts far past but valid", TOPIC, {"ts": -62_000_000_000_000, "v": 1}, Reason.TOO_OLD),
    ("batch no sensor", BATCH_TOPIC, {"readings": [{"ts": NOW_MS, "v": 1}]}, Reason.MISSING_SENSOR),
    ("batch sensor null", BATCH_TOPIC, {"readings": [{"sensor": None, "ts": NOW_MS, "v": 1}]}, Reason.MISSING_SENSOR),
    ("batch sensor number", BATCH_TOPIC, {"readings": [{"sensor": 7, "ts": NOW_MS, "v": 1}]}, Reason.MISSING_SENSOR),
    ("batch sensor blank", BATCH_TOPIC, {"readings": [{"sensor": "  ", "ts": NOW_MS, "v": 1}]}, Reason.MISSING_SENSOR),
    ("batch sensor nul", BATCH_TOPIC, {"readings": [{"sensor": "a\x00", "ts": NOW_MS, "v": 1}]}, Reason.MISSING_SENSOR),
    ("batch element array", BATCH_TOPIC, {"readings": [[NOW_MS, 1]]}, Reason.NOT_AN_OBJECT),
]


@pytest.mark.parametrize(("topic", "payload", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused(topic, payload, reason):
    dead = only_dead(parse(topic, payload))
    assert dead.reason is reason
    assert dead.detail
    assert any("\u4e00" <= ch <= "\u9fff" for ch in dead.detail), dead.detail  # Chinese
    assert dead.topic == topic
    assert dead.payload or not payload
    assert len(dead.payload) <= MAX_DEAD_PAYLOAD_CHARS
    assert "\x00" not in dead.payload + dead.detail + dead.sensor
    if reason is not Reason.BAD_TOPIC:
        assert dead.uscc == USCC


def test_cases_cover_every_reason_the_parser_gives():
    assert {c[3] for c in CASES} == set(Reason) - DATABASE_REASONS


def test_every_reason_has_a_chinese_label():
    assert set(LABELS) == set(Reason)
    for reason in Reason:
        assert reason.label == LABELS[reason]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason.label)
        assert reason.value == reason.name.lower()  # the stored code
        assert len(reason.value) <= 32


def test_single_reading_dead_letter_names_the_sensor_and_keeps_the_message():
    payload = f'{{"ts": {NOW_MS}, "v": "abc"}}'
    dead = only_dead(parse(TOPIC, payload))
    assert dead == DeadLetter(Reason.NOT_NUMERIC, '数值 v 不是数字（字符串）："abc"', TOPIC, payload, USCC, "T-001")


def test_whole_message_refusal_names_the_sensor_of_a_single_topic_but_not_of_a_batch():
    assert only_dead(parse(TOPIC, b"{")).sensor == "T-001"
    assert only_dead(parse(BATCH_TOPIC, b"{")).sensor == ""


def test_detail_quotes_at_most_40_characters():
    dead = only_dead(parse(TOPIC, {"ts": NOW_MS, "v": "y" * 5000}))
    quoted = dead.detail.split("：", 1)[1]
    assert len(quoted) == MAX_QUOTE_CHARS
    assert quoted.endswith("…")
    assert quoted.startswith('"yyy')


@pytest.mark.parametrize(
    ("element", "reason"),
    [
        ({"v": "x"}, Reason.MISSING_SENSOR),  # sensor first
        ({"sensor": "a", "ts": "bad"}, Reason.MISSING_VALUE),  # value presence before the timestamp
        ({"sensor": "a", "v": "x"}, Reason.NOT_NUMERIC),  # value type before the timestamp
        ({"sensor": "a", "v": True, "ts": "bad"}, Reason.NOT_NUMERIC),
        ({"sensor": "a", "v": math.nan}, Reason.NOT_FINITE),  # finiteness before the timestamp
        ({"sensor": "a", "v": 1, "ts": "2026-12-02T10:00:00"}, Reason.NAIVE_TIMESTAMP),
    ],
)
def test_precedence_of_checks(element, reason):
    dead = only_dead(parse(BATCH_TOPIC, {"readings": [element]}))
    assert dead.reason is reason


# --- boundaries ---------------------------------------------------------------------------------------------------

FIVE_MINUTES_MS = 5 * 60 * 1000
OLDEST_MS = NOW_MS - 90 * 86_400_000


@pytest.mark.parametrize(
    ("ts", "reason"),
    [
        (NOW_MS + FIVE_MINUTES_MS, None),
        (NOW_MS + FIVE_MINUTES_MS + 1, Reason.FUTURE_TIMESTAMP),
        (float(NOW_MS + FIVE_MINUTES_MS) + 0.001, Reason.FUTURE_TIMESTAMP),  # 1 µs is enough
        ("2026-12-02T10:05:00+08:00", None),
        ("2026-12-02T02:05:00.001Z", Reason.FUTURE_TIMESTAMP),
        (OLDEST_MS, None),
        (OLDEST_MS - 1, Reason.TOO_OLD),
        ("2026-09-03T02:00:00Z", None),
        ("2026-09-03T09:59:59.999+08:00", Reason.TOO_OLD),
    ],
)
def test_window_boundaries(ts, reason):
    assert FUTURE_TOLERANCE.total_seconds() == 300
    parsed = parse(TOPIC, {"ts": ts, "v": 1})
    if reason is None:
        assert len(parsed.readings) == 1
        assert parsed.dead == []
    else:
        assert only_dead(parsed).reason is reason


def test_future_and_old_details_say_when():
    future = only_dead(parse(TOPIC, {"ts": NOW_MS + FIVE_MINUTES_MS + 1, "v": 1}))
    assert "2026-12-02T02:05:00.001+00:00" in future.detail
    assert "5 分钟" in future.detail
    old = only_dead(parse(TOPIC, {"ts": OLDEST_MS - 1, "v": 1}))
    assert "2026-09-03T02:00:00.000+00:00" in old.detail


def test_batch_of_max_size_is_accepted_and_one_more_refused_whole():
    element = {"sensor": "T", "ts": NOW_MS, "v": 1}
    assert len(parse(BATCH_TOPIC, {"readings": [element] * MAX_BATCH}).readings) == MAX_BATCH
    dead = only_dead(parse(BATCH_TOPIC, {"readings": [element] * (MAX_BATCH + 1)}))
    assert dead.reason is Reason.BATCH_TOO_LARGE
    assert str(MAX_BATCH + 1) in dead.detail


def test_payload_of_max_size_is_accepted_and_one_byte_more_refused_whole():
    head = f'{{"ts": {NOW_MS}, "v": 1, "pad": "'
    payload = (head + "p" * (MAX_PAYLOAD_BYTES - len(head) - 2) + '"}').encode()
    assert len(payload) == MAX_PAYLOAD_BYTES
    assert len(parse(TOPIC, payload).readings) == 1
    dead = only_dead(parse(TOPIC, payload[:-2] + b'p"}'))
    assert dead.reason is Reason.PAYLOAD_TOO_LARGE
    assert dead.payload == payload[:MAX_DEAD_PAYLOAD_CHARS].decode()


def test_dead_letter_payload_is_truncated_to_2000_characters():
    text = '{"ts": "bad", "v": 1, "pad": "' + "汉" * 5000 + '"}'
    dead = only_dead(parse(TOPIC, text))
    assert dead.reason is Reason.BAD_TIMESTAMP
    assert dead.payload == text[:MAX_DEAD_PAYLOAD_CHARS]
    assert len(dead.payload) == MAX_DEAD_PAYLOAD_CHARS == 2000

    element = {"sensor": "a", "v": "q" * 5000, "ts": NOW_MS}
    dead = only_dead(parse(BATCH_TOPIC, {"readings": [element]}))
    assert dead.payload == json.dumps(element)[:MAX_DEAD_PAYLOAD_CHARS]


def test_not_utf8_payload_is_kept_with_replacement_characters():
    dead = only_dead(parse(TOPIC, b'{"v": 1, "x": "\xff"}'))
    assert dead.reason is Reason.NOT_UTF8
    assert dead.payload == '{"v": 1, "x": "\ufffd"}'
    assert "第 15 字节" in dead.detail


def test_dead_letter_text_is_storable_as_utf8():
    # A lone surrogate escaped in JSON reaches Python as a str that cannot be encoded; NUL cannot go in PostgreSQL.
    dead = only_dead(parse(BATCH_TOPIC, '{"readings": [{"sensor": "\\ud800", "v": 1, "ts": 1}]}'))
    assert dead.reason is Reason.MISSING_SENSOR
    for text in (dead.detail, dead.payload, dead.sensor, dead.topic):
        text.encode("utf-8")
    dead = only_dead(parse(TOPIC, b'{"v": "\x00"}'))
    assert "\x00" not in dead.payload


# --- parse_timestamp -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (NOW_MS, NOW),
        (float(NOW_MS), NOW),
        ("2026-12-02T10:00:00+08:00", NOW),
        ("2026-12-02T02:00:00Z", NOW),
        (None, Reason.MISSING_TIMESTAMP),
        (True, Reason.BAD_TIMESTAMP),
        (b"2026", Reason.BAD_TIMESTAMP),
        ("2026-12-02T10:00:00", Reason.NAIVE_TIMESTAMP),
        (NOW_MS + FIVE_MINUTES_MS + 1, Reason.FUTURE_TIMESTAMP),
        (OLDEST_MS - 1, Reason.TOO_OLD),
        (10**20, Reason.BAD_TIMESTAMP),
        (math.inf, Reason.BAD_TIMESTAMP),
    ],
)
def test_parse_timestamp(value, expected):
    result = parse_timestamp(value, now=NOW, retention=RETENTION)
    assert result == expected
    if isinstance(result, datetime):
        assert result.tzinfo is UTC


def test_now_in_another_zone_is_the_same_instant():
    beijing = NOW.astimezone(timezone(timedelta(hours=8)))
    assert parse_timestamp(NOW_MS + FIVE_MINUTES_MS, now=beijing, retention=RETENTION) == NOW + FUTURE_TOLERANCE
    parsed = parse_message(TOPIC, f'{{"ts": {NOW_MS}, "v": 1}}'.encode(), now=beijing, retention=RETENTION)
    assert parsed.readings[0].ts == NOW


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_timestamp(NOW_MS, now=NOW.replace(tzinfo=None), retention=RETENTION),
        lambda: parse_message(TOPIC, b"{}", now=NOW.replace(tzinfo=None), retention=RETENTION),
        lambda: parse_batch(USCC, {}, now=NOW.replace(tzinfo=None), retention=RETENTION),
        lambda: parse_message(TOPIC, b"{}", now=NOW, retention=timedelta(seconds=-1)),
    ],
)
def test_programming_errors_raise(call):
    with pytest.raises(ValueError):
        call()


# --- parse_batch, the HTTP path ------------------------------------------------------------------------------------


def test_parse_batch_for_the_http_endpoint():
    document = {
        "readings": [
            {"sensor": "T-001", "ts": "2026-12-02T10:00:00+08:00", "v": 21.5},
            {"sensor": "T-002", "ts": NOW_MS, "v": "21.5"},
        ]
    }
    parsed = parse_batch(" 91350100m000100y43 ", document, now=NOW, retention=RETENTION, topic="/api/readings")
    assert parsed.readings == [Reading(USCC, "T-001", NOW, 21.5)]
    assert parsed.dead == [
        DeadLetter(
            Reason.NOT_NUMERIC,
            'readings[1]：数值 v 不是数字（字符串）："21.5"',
            "/api/readings",
            json.dumps(document["readings"][1]),
            USCC,
            "T-002",
        )
    ]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([], Reason.NOT_AN_OBJECT),
        ("readings", Reason.NOT_AN_OBJECT),
        ({}, Reason.NOT_AN_OBJECT),
        ({"readings": None}, Reason.NOT_AN_OBJECT),
        ({"readings": "[]"}, Reason.NOT_AN_OBJECT),
        ({"readings": [{}] * (MAX_BATCH + 1)}, Reason.BATCH_TOO_LARGE),
    ],
)
def test_parse_batch_refuses_a_bad_document_whole(document, reason):
    dead = only_dead(parse_batch(USCC, document, now=NOW, retention=RETENTION))
    assert dead.reason is reason
    assert dead.detail
    assert dead.uscc == USCC
    assert dead.payload == json.dumps(document)[:MAX_DEAD_PAYLOAD_CHARS]


def test_parse_batch_survives_objects_that_are_not_json():
    parsed = parse_batch(
        USCC, {"readings": [{"sensor": "a", "ts": NOW_MS, "v": object()}]}, now=NOW, retention=RETENTION
    )
    assert only_dead(parsed).reason is Reason.NOT_NUMERIC


# --- never raises ----------------------------------------------------------------------------------------------------


@given(st.binary(max_size=512), st.sampled_from([TOPIC, BATCH_TOPIC, "anjian/x", "anjian/x/y"]))
def test_arbitrary_bytes_never_raise(payload, topic):
    parsed = parse_message(topic, payload, now=NOW, retention=RETENTION)
    assert parsed.readings or parsed.dead or topic == BATCH_TOPIC  # only an empty batch gives nothing
    for dead in parsed.dead:
        assert isinstance(dead.reason, Reason)
        assert dead.reason not in DATABASE_REASONS
        assert dead.detail


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)
element = st.fixed_dictionaries(
    {},
    optional={
        "sensor": st.text(max_size=8) | json_values,
        "ts": st.integers(NOW_MS - 10**11, NOW_MS + 10**7) | st.floats() | st.text(max_size=30) | json_values,
        "v": st.floats() | st.integers() | json_values,
    },
)


@given(st.lists(element | json_values, max_size=20))
def test_each_batch_element_gives_exactly_one_reading_or_dead_letter(elements):
    parsed = parse_batch(USCC, {"readings": elements}, now=NOW, retention=RETENTION, topic=BATCH_TOPIC)
    assert len(parsed.readings) + len(parsed.dead) == len(elements)
    for reading in parsed.readings:
        assert math.isfinite(reading.value)
        assert NOW - RETENTION <= reading.ts <= NOW + FUTURE_TOLERANCE
        assert reading.sensor and reading.sensor == reading.sensor.strip()
    payload = json.dumps({"readings": elements}).encode()
    if len(payload) <= MAX_PAYLOAD_BYTES:
        assert parse_message(BATCH_TOPIC, payload, now=NOW, retention=RETENTION) == parsed


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        ({"ts": NOW_MS}, "缺少数值 v"),
        ({"ts": NOW_MS, "v": None}, "数值 v 为 null"),
        ({"v": 1}, "缺少时间戳 ts"),
        ({"v": 1, "ts": None}, "时间戳 ts 为 null"),
    ],
)
def test_missing_and_null_are_told_apart(document, detail):
    assert only_dead(parse(TOPIC, document)).detail == detail
