"""Schemathesis over `/openapi.json`: generated requests for every operation, never a 5xx.

Each operation is called with a token of a role allowed to use it, so the generated input
reaches the use case instead of stopping at the role check. Examples per operation are bounded
(`EXAMPLES`, positive and negative data) to keep the suite fast. (`schemathesis.pytest.
from_fixture` does not run under pytest 9, so the operations are walked here with their
Hypothesis strategies.)
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support.live import LiveService

# The role each operation is called with is the fuzzing's (`bench/_fuzz.py`, as in `tests/proof`).
BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
from _fuzz import ROLES, role_for  # noqa: E402

# Examples per operation and mode; `INGE_SCHEMATHESIS_EXAMPLES=200` for a deep run.
EXAMPLES = int(os.environ.get("INGE_SCHEMATHESIS_EXAMPLES", "8"))


# Where a request the schema calls valid may still be refused (422), and the fields named: a fact
# of the store or of today that no static schema can state. `schemathesis.toml` lists the same
# operations for `schemathesis run`; any other 422 for schema-valid input fails below.
BEYOND_THE_SCHEMA: dict[str, set[str]] = {
    "GET /v1/postbox": {"cursor"},  # only a cursor this service handed out
    "GET /v1/audit": {"cursor"},
    "GET /v1/stats": {"from", "to"},  # from ≤ to ≤ today, at most 366 days
    "POST /v1/data-requests/{request_id}/reminders": {"due_on"},  # after today
    "POST /v1/dispatch": {"as_of"},  # not in the future
    "POST /v1/participants/{participant_id}/data-requests": {"item", "due_on"},  # what is missing
    "POST /v1/participants/{participant_id}/dtz-paper": {"exam_date", "capture_reason"},  # R8
    "POST /v1/participants/{participant_id}/alternative-b1": {"issued_on", "presented_on"},
    "POST /v1/tokens": {"office"},  # an office on file
    "POST /v1/participants": {"birth_date"},  # plausible: from 1900, not after today
    "POST /v1/lid-results": {"participant_id"},  # a participant on file
    "POST /v1/repetition-applications": {"participant_id"},
    "POST /v1/dtz-results": {"participant_id"},
}


@schemathesis.check
def accepted_unless_beyond_the_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    """`positive_data_acceptance` (ST202), except a 422 that names only fields the operation
    lists in `BEYOND_THE_SCHEMA`."""
    if response.status_code == 422:
        named = {item.get("field") for item in response.json().get("detail", [])}
        if named and named <= BEYOND_THE_SCHEMA.get(case.operation.label, set()):
            return None
    return positive_data_acceptance(ctx, response, case)  # type: ignore[no-any-return]


def test_the_toml_and_the_test_list_the_same_refusals() -> None:
    import tomllib

    toml = Path(__file__).resolve().parents[2] / "schemathesis.toml"
    listed = {op["include-name"] for op in tomllib.loads(toml.read_text())["operations"]}
    assert listed == set(BEYOND_THE_SCHEMA)


# Every check of `schemathesis run -c all`.
CHECKS = [
    not_a_server_error,
    status_code_conformance,  # every answer's status is in the contract (400 included)
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,  # what the contract forbids is refused (a date "0", false as points)
    allow_header_conformance,  # a 405 names every method of the path
    accepted_unless_beyond_the_schema,  # a valid request is accepted (ST202)
]


def test_no_operation_answers_with_a_server_error(own_service: LiveService) -> None:
    """On a service of its own, each operation from an address of its own (`X-Forwarded-For`,
    which the service believes from loopback): the generated requests include missing and
    empty tokens, and 30 of them from one address block it for a minute (the sign-in limit),
    which would leave every later operation answering 429, untested."""
    live_service = own_service
    tokens = {
        role: live_service.token(role, "NUE" if role in {"caseworker", "supervisor"} else None)
        for role in ROLES
    }
    schema = schemathesis.openapi.from_url(f"{live_service.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    pairs = itertools.product(operations, schemathesis.GenerationMode)
    for n, (operation, mode) in enumerate(pairs):
        role = role_for(f"{operation.method.upper()} {operation.path}")
        headers = {
            "Authorization": f"Bearer {tokens[role]}",
            "X-Forwarded-For": f"10.77.{n // 250}.{n % 250 + 1}",
        }
        try:
            _checker(operation, mode, live_service.base_url, headers)()
        except Unsatisfiable:
            # nothing to break in an operation without inputs (e.g. GET /v1/health)
            assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label


def _checker(
    operation: Any, mode: schemathesis.GenerationMode, base_url: str, headers: dict[str, str]
) -> Callable[[], None]:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    return check  # type: ignore[no-any-return]


def test_what_schemathesis_run_found_stays_fixed(live_service: LiveService) -> None:
    """The findings of `schemathesis run -c all` (issue 15, item 1) that the walk above does not
    reach: a 405 names every method of the path, a date query parameter is a date and not a
    number of seconds, points are numbers and not booleans, unreadable JSON is a documented 400."""
    import httpx

    token = live_service.token("supervisor", "NUE")
    admin = live_service.token("admin", None)
    with httpx.Client(base_url=live_service.base_url, timeout=10) as http:
        for path, allowed in (("/v1/offices", "GET, POST"), ("/v1/tokens", "GET, POST")):
            answer = http.options(path, headers={"Authorization": f"Bearer {admin}"})
            assert (answer.status_code, answer.headers["allow"]) == (405, allowed), path
        auth = {"Authorization": f"Bearer {token}"}
        stats = http.get("/v1/stats", params={"to": "0"}, headers=auth)
        assert stats.status_code == 422 and stats.json()["detail"][0]["field"] == "to"
        scored = http.post("/v1/scoring/dtz", json={"parts": {"hoeren_lesen": False}}, headers=auth)
        assert scored.status_code == 422
        unreadable = http.post(
            "/v1/scoring/dtz",
            content=b"\xff\xfe{",  # not UTF-8: 400 (unreadable JSON in UTF-8 is a 422)
            headers={**auth, "Content-Type": "application/json"},
        )
        assert unreadable.status_code == 400
        spec = http.get("/openapi.json").json()
        assert "400" in spec["paths"]["/v1/scoring/dtz"]["post"]["responses"]
