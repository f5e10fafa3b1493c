"""schemathesis against /api/openapi.json: whatever the description allows a client to send, and what it
does not, the API never answers 5xx. Reads run on the dev-set store; writes, with the token, on a copy.

Skipped where schemathesis is not installed (a dev dependency). Its pytest plugin (``from_fixture``) does
not run under pytest 9, so the cases come from its Hypothesis strategies."""
from __future__ import annotations

import contextlib
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import API_TOKEN

schemathesis = pytest.importorskip("schemathesis")


def no_5xx(schema, *, max_examples: int, headers: dict[str, str] | None = None) -> None:
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    cases = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=max_examples, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def call(case) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
    call()


def test_reads_never_answer_5xx(app):
    no_5xx(schemathesis.openapi.from_asgi("/api/openapi.json", app).include(method="GET"), max_examples=300)


def test_writes_never_answer_5xx(dev_store, tmp_path):
    from readouts.web import create_app
    copy = tmp_path / "copy.db"
    with contextlib.closing(sqlite3.connect(dev_store.removeprefix("sqlite:///"))) as src, \
            contextlib.closing(sqlite3.connect(copy)) as dst:
        src.backup(dst)
    app = create_app(f"sqlite:///{copy}", api_token=API_TOKEN)
    no_5xx(schemathesis.openapi.from_asgi("/api/openapi.json", app).include(method="POST"), max_examples=60,
           headers={"Authorization": f"Bearer {API_TOKEN}"})
