"""Schemathesis over /api/schema/ (issue 7 item 8, its "must show"): as a city administrator, a town supervisor and
an enterprise user, every operation of the API is called with generated requests, and no answer may be a 5xx or
differ from the schema (status code, content type, headers, body).

It runs in-process against Django's WSGI application inside the test's transaction (nothing to start, nothing left
behind), derandomized (the same requests every run) and bounded: ANJIAN_SCHEMATHESIS_EXAMPLES generated requests per
operation and persona, valid ones (positive) and invalid ones (negative). `make test-schemathesis` runs it;
`make test` leaves it out (marker `schemathesis`), .ci/run runs it as its own stage.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

PERSONAS = ("city_admin", "town_a_supervisor", "enterprise_a_user")
EXAMPLES = int(os.environ.get("ANJIAN_SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, without the per-request connection closing that would end the test's transaction
    (Django's own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_operation(operation, mode: GenerationMode, headers: dict) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


def describe(error: BaseException) -> str:
    """Schemathesis raises a group of failures: say each one (its kind, the schema's words, the request)."""
    parts = error.exceptions if isinstance(error, BaseExceptionGroup) else [error]
    return "\n".join(str(part).strip()[:1500] for part in parts)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_answers_as_its_schema_says(personas, wsgi_app, persona):
    user = getattr(personas, persona)
    # The accounts app's token model, reached through the app registry (core does not import accounts).
    token = apps.get_model("accounts", "ApiToken").objects.create(
        user=user, key=f"schemathesis{user.pk:028d}", expires=timezone.now() + dt.timedelta(days=1)
    )
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=headers)
    failures, ran, timings = [], 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            ran += 1
            started = time.monotonic()
            try:
                run_operation(operation, mode, headers)
            except Unsatisfiable:
                pass  # nothing to make invalid (e.g. no parameters and no body): no negative case exists
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as error:  # noqa: BLE001 - every operation's failures are reported, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {describe(error)}")
            timings.append((time.monotonic() - started, f"{operation.label} [{mode.value}]"))
    for seconds, label in sorted(timings, reverse=True)[:8]:
        print(f"{seconds:6.2f} s  {label}")
    assert ran > 80
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
