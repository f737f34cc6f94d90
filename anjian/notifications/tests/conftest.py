"""Fixtures of the notifications tests: the packaged templates, a licence of enterprise A, huey run in-process, and a
local SMS gateway (http.server on 127.0.0.1:0) that checks each request's signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from huey.contrib.djhuey import HUEY

from anjian.enterprises.tests.factories import LicenceFactory
from anjian.notifications.reference import load_templates

GATEWAY_SECRET = "gateway-test-secret"


@pytest.fixture
def templates(db) -> int:
    return load_templates()


@pytest.fixture
def licence_a(personas):
    return LicenceFactory(enterprise=personas.enterprise_a, valid_to=dt.date(2026, 3, 1))


@pytest.fixture
def huey_immediate() -> Iterator:
    """Tasks run at once, in this process, on in-memory storage; scheduled ones (retries) wait in its schedule."""
    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = False


@dataclass
class Gateway:
    """A fake SMS gateway: answers each POST with the next status of `script` (200 once the script is used up),
    or sleeps `delay` seconds first; records each request and whether its signature was right."""

    script: list[int] = field(default_factory=list)
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            expected = "sha256=" + hmac.new(GATEWAY_SECRET.encode(), body, hashlib.sha256).hexdigest()
            state.requests.append({
                "body": json.loads(body), "signed": hmac.compare_digest(self.headers["X-Anjian-Signature"], expected),
                "idempotency_key": self.headers["Idempotency-Key"],
            })
            if state.delay:
                state.release.wait(state.delay)
            status = state.script.pop(0) if state.script else 200
            answer = json.dumps({"ok": status == 200, "error": "" if status == 200 else "上游短信通道繁忙"},
                                ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the client gave up (a timeout test)

        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    settings.ANJIAN_SMS_GATEWAY_URL = state.url
    settings.ANJIAN_SMS_GATEWAY_SECRET = GATEWAY_SECRET
    settings.ANJIAN_SMS_TIMEOUT = 2
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
