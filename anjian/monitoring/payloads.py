"""Turn what sensors send into readings and dead letters (issue 10 items 2 and 3; "Bad input, and what it gets").

Sensors publish over MQTT on ``anjian/<uscc>/<sensor code>`` with ``{"ts": ..., "v": ...}``; a gateway publishes
``{"readings": [{"sensor": ..., "ts": ..., "v": ...}, ...]}`` on ``anjian/<uscc>/batch``; the HTTP endpoint takes the
same batch object for the USCC it is given. This module turns each of those into :class:`Reading` objects and
:class:`DeadLetter` objects, and does nothing else.

It is pure (standard library only: no Django, no database, no clock; ``now`` is passed in) because two callers share
it, the MQTT ingest and the HTTP endpoint (both item 2), and both must refuse the same input for the same reason.
What needs the database is decided after it, by the ingest: whether the enterprise and the sensor are registered
(:attr:`Reason.UNKNOWN_ENTERPRISE`, :attr:`Reason.UNKNOWN_SENSOR`, in :class:`Reason` only so that the whole
vocabulary of dead letters lives in one place; nothing here produces them), and duplicates (the readings table's
unique key absorbs a redelivered message, so two readings of one sensor at one instant are both returned here).

Bad input never raises: every bad message and every bad reading becomes one dead letter with a stable reason code and a
Chinese explanation of what was wrong. Only programming errors raise ``ValueError`` (a naive ``now``, a negative
retention).

The checks, in order; the first that fails decides the reason:

* The whole message (one dead letter, no readings): the topic (``BAD_TOPIC``), the size (``PAYLOAD_TOO_LARGE``),
  UTF-8 (``NOT_UTF8``, a byte-order mark is not accepted either: RFC 8259 section 8.1), JSON syntax
  (``MALFORMED_JSON``, also for nesting too deep or an integer too long for Python's json module), a JSON object at the
  top (``NOT_AN_OBJECT``). On a batch: ``readings`` present and a list (else ``NOT_AN_OBJECT``: the JSON is well
  formed but not of the agreed shape) of at most MAX_BATCH elements (``BATCH_TOO_LARGE``). An empty list is no
  readings and no dead letters.
* Each reading on its own (a bad element of a batch is its own dead letter, with that element's JSON as its payload,
  and the good elements beside it are still readings): a JSON object (``NOT_AN_OBJECT``), the sensor code, batch only
  (``MISSING_SENSOR``: absent, not a string, blank, or holding control characters), the value's presence
  (``MISSING_VALUE``, ``null`` included), its type (``NOT_NUMERIC``: bools and numeric strings such as ``"12.5"`` are
  refused), its finiteness (``NOT_FINITE``: ``NaN``, ``Infinity``, ``1e400``, integers beyond a float), then the
  timestamp (``MISSING_TIMESTAMP``, ``null`` included; ``BAD_TIMESTAMP``; ``NAIVE_TIMESTAMP``; ``FUTURE_TIMESTAMP``;
  ``TOO_OLD``). Keys other than ``sensor``, ``ts`` and ``v`` are ignored.

The topic's levels are stripped of surrounding blanks and the USCC upper-cased (its check character is validated
elsewhere); a sensor whose code is literally ``batch`` cannot publish on its own topic, only in a batch.

The parser runs for every reading (50,000 a second), so the good path uses no regular expression, raises no exception
and formats no string: ``json.loads`` once per message, exact type checks, and epoch milliseconds become a datetime by
adding a timedelta to the epoch after a range check on the number.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

TOPIC_PREFIX = "anjian"
BATCH_LEVEL = "batch"
FUTURE_TOLERANCE = timedelta(minutes=5)  # issue 10: "a timestamp more than 5 minutes in the future" is refused
MAX_BATCH = 10_000  # readings per batch message; more is a dead letter for the whole message
MAX_PAYLOAD_BYTES = 1_048_576  # larger payloads are refused whole
MAX_DEAD_PAYLOAD_CHARS = 2_000  # a dead letter keeps at most this much of the offending text
MAX_QUOTE_CHARS = 40  # a detail quotes at most this much of the offending value
MAX_ISO_CHARS = 64  # no ISO 8601 date-time with an offset is longer; longer strings are refused unparsed

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
# The epoch milliseconds a datetime can hold; outside them (and for NaN and ±Infinity) a number is BAD_TIMESTAMP.
_MIN_MS = (datetime.min.replace(tzinfo=UTC) - _EPOCH) // _MS
_MAX_MS = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MS


class Reason(StrEnum):
    """Why a message or a reading was refused; the value is the code stored with the dead letter."""

    BAD_TOPIC = "bad_topic"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_UTF8 = "not_utf8"
    MALFORMED_JSON = "malformed_json"
    NOT_AN_OBJECT = "not_an_object"
    BATCH_TOO_LARGE = "batch_too_large"
    MISSING_SENSOR = "missing_sensor"
    MISSING_VALUE = "missing_value"
    NOT_NUMERIC = "not_numeric"
    NOT_FINITE = "not_finite"
    MISSING_TIMESTAMP = "missing_timestamp"
    BAD_TIMESTAMP = "bad_timestamp"
    NAIVE_TIMESTAMP = "naive_timestamp"
    FUTURE_TIMESTAMP = "future_timestamp"
    TOO_OLD = "too_old"
    # Decided by the ingest with the database, never by this module.
    UNKNOWN_SENSOR = "unknown_sensor"
    UNKNOWN_ENTERPRISE = "unknown_enterprise"

    @property
    def label(self) -> str:
        """The reason in Chinese, for people."""
        return LABELS[self]


LABELS: dict[Reason, str] = {
    Reason.BAD_TOPIC: "主题格式错误",
    Reason.PAYLOAD_TOO_LARGE: "消息过大",
    Reason.NOT_UTF8: "消息不是 UTF-8 编码",
    Reason.MALFORMED_JSON: "消息不是合法的 JSON",
    Reason.NOT_AN_OBJECT: "消息结构不符合约定",
    Reason.BATCH_TOO_LARGE: "批量消息读数过多",
    Reason.MISSING_SENSOR: "缺少传感器编码",
    Reason.MISSING_VALUE: "缺少数值",
    Reason.NOT_NUMERIC: "数值不是数字",
    Reason.NOT_FINITE: "数值不是有限数",
    Reason.MISSING_TIMESTAMP: "缺少时间戳",
    Reason.BAD_TIMESTAMP: "时间戳无法识别",
    Reason.NAIVE_TIMESTAMP: "时间戳缺少时区",
    Reason.FUTURE_TIMESTAMP: "时间戳超前于服务器时间",
    Reason.TOO_OLD: "时间戳早于数据保留期",
    Reason.UNKNOWN_SENSOR: "传感器未登记",
    Reason.UNKNOWN_ENTERPRISE: "企业未登记",
}


@dataclass(frozen=True, slots=True)
class Reading:
    """One good measurement."""

    uscc: str  # upper-cased, as in the topic (or as given to parse_batch)
    sensor: str  # the sensor code as sent, stripped
    ts: datetime  # aware, in UTC
    value: float


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One refused message or reading, with why."""

    reason: Reason
    detail: str  # Chinese: what was wrong, quoting at most MAX_QUOTE_CHARS of the offending value
    topic: str
    payload: str  # the offending text (the whole message, or the one reading's JSON), at most MAX_DEAD_PAYLOAD_CHARS
    uscc: str = ""
    sensor: str = ""


@dataclass(slots=True)
class Parsed:
    """What one message (or one HTTP batch) gave."""

    readings: list[Reading] = field(default_factory=list)
    dead: list[DeadLetter] = field(default_factory=list)


def parse_topic(topic: str) -> tuple[str, str] | None:
    """Return ``(uscc, sensor code or "batch")`` for ``anjian/<uscc>/<x>``, else None."""
    levels = topic.split("/")
    if len(levels) != 3 or levels[0] != TOPIC_PREFIX:
        return None
    uscc = levels[1].strip().upper()
    sensor = levels[2].strip()
    if not uscc or not sensor or not uscc.isprintable() or not sensor.isprintable():
        return None
    return uscc, sensor


def parse_timestamp(value: object, *, now: datetime, retention: timedelta) -> datetime | Reason:
    """Return ``value`` (epoch milliseconds, or ISO 8601 with an offset) as an aware UTC datetime, or why not.

    Accepted from ``now - retention`` to ``now + FUTURE_TOLERANCE``, both ends included.
    """
    earliest, latest = _window(now, retention)
    if value is None:
        return Reason.MISSING_TIMESTAMP
    ts = _to_utc(value)
    if isinstance(ts, Reason):
        return ts
    if ts > latest:
        return Reason.FUTURE_TIMESTAMP
    if ts < earliest:
        return Reason.TOO_OLD
    return ts


def parse_message(topic: str, payload: bytes, *, now: datetime, retention: timedelta) -> Parsed:
    """Parse one MQTT message: a single reading on a sensor's topic, or a gateway's batch on ``.../batch``."""
    earliest, latest = _window(now, retention)
    where = parse_topic(topic)
    if where is None:
        detail = f"主题应为 {TOPIC_PREFIX}/<统一社会信用代码>/<传感器编码>，收到：{_quote(topic)}"
        return _refuse(Reason.BAD_TOPIC, detail, topic, _preview(payload))
    uscc, level = where
    sensor = "" if level == BATCH_LEVEL else level
    if len(payload) > MAX_PAYLOAD_BYTES:
        detail = f"消息长 {len(payload)} 字节，超过上限 {MAX_PAYLOAD_BYTES} 字节"
        return _refuse(Reason.PAYLOAD_TOO_LARGE, detail, topic, _preview(payload), uscc, sensor)
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        detail = f"消息自第 {exc.start} 字节起不是合法的 UTF-8"
        return _refuse(Reason.NOT_UTF8, detail, topic, _preview(payload), uscc, sensor)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）"
        return _refuse(Reason.MALFORMED_JSON, detail, topic, text, uscc, sensor)
    except RecursionError:
        return _refuse(Reason.MALFORMED_JSON, "JSON 嵌套层数过深", topic, text, uscc, sensor)
    except ValueError as exc:  # e.g. an integer of more digits than sys.get_int_max_str_digits()
        return _refuse(Reason.MALFORMED_JSON, f"JSON 无法解析：{exc}", topic, text, uscc, sensor)
    if level == BATCH_LEVEL:
        return _batch(uscc, document, text, earliest, latest, topic)
    if type(document) is not dict:
        detail = f'消息应为 JSON 对象 {{"ts": ..., "v": ...}}，收到{_kind(document)}'
        return _refuse(Reason.NOT_AN_OBJECT, detail, topic, text, uscc, sensor)
    result = _read(document, uscc, level, earliest, latest)
    if isinstance(result, Reading):
        return Parsed([result], [])
    return _refuse(result[0], result[1], topic, text, uscc, level)


def parse_batch(uscc: str, document: object, *, now: datetime, retention: timedelta, topic: str = "") -> Parsed:
    """Parse a batch object ``{"readings": [...]}`` already decoded from JSON, for the enterprise ``uscc``.

    For the HTTP endpoint; ``topic`` is only recorded on the dead letters (say, the request path).
    """
    earliest, latest = _window(now, retention)
    return _batch(uscc.strip().upper(), document, None, earliest, latest, topic)


def _window(now: datetime, retention: timedelta) -> tuple[datetime, datetime]:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if retention < timedelta(0):
        raise ValueError("retention must not be negative")
    return now - retention, now + FUTURE_TOLERANCE


def _to_utc(value: object) -> datetime | Reason:
    """Epoch milliseconds or an ISO 8601 string with an offset, as a UTC datetime; no window check."""
    if isinstance(value, bool):
        return Reason.BAD_TIMESTAMP
    if isinstance(value, int | float):
        # The range check also refuses NaN and ±Infinity (every comparison with NaN is false).
        if _MIN_MS <= value <= _MAX_MS:
            try:
                return _EPOCH + timedelta(0, 0, 0, value)
            except OverflowError:  # only a float rounding past the last microsecond of year 9999
                return Reason.BAD_TIMESTAMP
        return Reason.BAD_TIMESTAMP
    if isinstance(value, str):
        if len(value) > MAX_ISO_CHARS:
            return Reason.BAD_TIMESTAMP
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:  # UnicodeEncodeError (a lone surrogate) is a ValueError too
            return Reason.BAD_TIMESTAMP
        if parsed.tzinfo is None:
            return Reason.NAIVE_TIMESTAMP
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+08:00 is before datetime.min in UTC
            return Reason.BAD_TIMESTAMP
    return Reason.BAD_TIMESTAMP


def _read(
    obj: dict[str, object], uscc: str, sensor: str, earliest: datetime, latest: datetime
) -> Reading | tuple[Reason, str]:
    """One reading from ``{"ts": ..., "v": ...}``, or the reason and the Chinese detail of its refusal."""
    value = obj.get("v")
    if type(value) is float:
        if not math.isfinite(value):
            return Reason.NOT_FINITE, f"数值 v 不是有限数：{_quote(value)}"
    elif type(value) is int:
        try:
            value = float(value)
        except OverflowError:
            return Reason.NOT_FINITE, f"数值 v 超出浮点数范围：{_quote(value)}"
    elif value is None:
        return Reason.MISSING_VALUE, "数值 v 为 null" if "v" in obj else "缺少数值 v"
    else:
        return Reason.NOT_NUMERIC, f"数值 v 不是数字（{_kind(value)}）：{_quote(value)}"
    raw = obj.get("ts")
    if raw is None:
        return Reason.MISSING_TIMESTAMP, "时间戳 ts 为 null" if "ts" in obj else "缺少时间戳 ts"
    ts = _to_utc(raw)
    if isinstance(ts, Reason):
        if ts is Reason.NAIVE_TIMESTAMP:
            return ts, f"时间戳 ts 缺少时区（应带 +08:00 或 Z）：{_quote(raw)}"
        return ts, f"时间戳 ts 应为毫秒数或带时区的 ISO 8601 字符串，收到：{_quote(raw)}"
    if ts > latest:
        server = (latest - FUTURE_TOLERANCE).astimezone(UTC)
        minutes = FUTURE_TOLERANCE // timedelta(minutes=1)
        return Reason.FUTURE_TIMESTAMP, f"时间戳 {_show(ts)} 晚于服务器时间 {_show(server)} 超过 {minutes} 分钟"
    if ts < earliest:
        return Reason.TOO_OLD, f"时间戳 {_show(ts)} 早于数据保留期的起点 {_show(earliest.astimezone(UTC))}"
    return Reading(uscc, sensor, ts, value)


def _batch(uscc: str, document: object, text: str | None, earliest: datetime, latest: datetime, topic: str) -> Parsed:
    """The readings and dead letters of a batch object; ``text`` is the message it came from, if any."""
    if type(document) is not dict:
        detail = f'批量消息应为 JSON 对象 {{"readings": [...]}}，收到{_kind(document)}'
        return _refuse(Reason.NOT_AN_OBJECT, detail, topic, _text(document, text), uscc)
    items = document.get("readings")
    if type(items) is not list:
        detail = "批量消息缺少 readings 数组" if items is None else f"readings 应为数组，收到{_kind(items)}"
        return _refuse(Reason.NOT_AN_OBJECT, detail, topic, _text(document, text), uscc)
    if len(items) > MAX_BATCH:
        detail = f"批量消息含 {len(items)} 条读数，超过上限 {MAX_BATCH} 条"
        return _refuse(Reason.BATCH_TOO_LARGE, detail, topic, _text(document, text), uscc)
    readings: list[Reading] = []
    dead: list[DeadLetter] = []
    for index, item in enumerate(items):
        sensor = ""
        result: Reading | tuple[Reason, str]
        if type(item) is not dict:
            result = Reason.NOT_AN_OBJECT, f"读数应为 JSON 对象，收到{_kind(item)}"
        else:
            code = item.get("sensor")
            if type(code) is str and (sensor := code.strip()) and sensor.isprintable():
                result = _read(item, uscc, sensor, earliest, latest)
            else:
                sensor = ""
                result = Reason.MISSING_SENSOR, _sensor_detail(code, "sensor" in item)
        if isinstance(result, Reading):
            readings.append(result)
        else:
            dead.append(_dead(result[0], f"readings[{index}]：{result[1]}", topic, _dump(item), uscc, sensor))
    return Parsed(readings, dead)


def _sensor_detail(code: object, present: bool) -> str:
    if not present:
        return "缺少传感器编码 sensor"
    if type(code) is not str:
        return f"传感器编码 sensor 应为字符串，收到{_kind(code)}：{_quote(code)}"
    if not code.strip():
        return "传感器编码 sensor 为空"
    return f"传感器编码 sensor 含控制字符或无效字符：{_quote(code)}"


def _refuse(reason: Reason, detail: str, topic: str, payload: str, uscc: str = "", sensor: str = "") -> Parsed:
    return Parsed([], [_dead(reason, detail, topic, payload, uscc, sensor)])


def _dead(reason: Reason, detail: str, topic: str, payload: str, uscc: str, sensor: str) -> DeadLetter:
    return DeadLetter(
        reason, _clean(detail), _clean(topic), _clean(payload[:MAX_DEAD_PAYLOAD_CHARS]), _clean(uscc), _clean(sensor)
    )


def _clean(text: str) -> str:
    """``text`` storable as UTF-8 text (PostgreSQL's included): no NUL, no lone surrogate."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _preview(payload: bytes) -> str:
    """The start of a payload that is too large or not UTF-8, as text (4 bytes are the most one character takes)."""
    return payload[: MAX_DEAD_PAYLOAD_CHARS * 4].decode("utf-8", "replace")


def _text(document: object, text: str | None) -> str:
    return text if text is not None else _dump(document)


def _dump(value: object) -> str:
    """``value`` as JSON text (as far as MAX_DEAD_PAYLOAD_CHARS), for a dead letter."""
    if type(value) is str and len(value) > MAX_DEAD_PAYLOAD_CHARS:
        value = value[:MAX_DEAD_PAYLOAD_CHARS]
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # not from JSON: the HTTP caller passed something else
        try:
            return repr(value)
        except RecursionError:
            return f"<{type(value).__name__}>"


def _quote(value: object) -> str:
    """At most MAX_QUOTE_CHARS of ``value`` as JSON, for a detail."""
    if type(value) is str and len(value) > MAX_QUOTE_CHARS:
        value = value[:MAX_QUOTE_CHARS]
    quoted = _dump(value)
    if len(quoted) > MAX_QUOTE_CHARS:
        quoted = quoted[: MAX_QUOTE_CHARS - 1] + "…"
    return quoted


def _show(ts: datetime) -> str:
    return ts.isoformat(timespec="milliseconds")


_KINDS: dict[type, str] = {
    dict: "对象",
    list: "数组",
    str: "字符串",
    bool: "布尔值",
    int: "整数",
    float: "数字",
    type(None): " null",
}


def _kind(value: object) -> str:
    """The JSON type of ``value`` in Chinese, for a detail."""
    return _KINDS.get(type(value), type(value).__name__)
