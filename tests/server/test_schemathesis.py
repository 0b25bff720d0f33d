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
from schemathesis.checks import not_a_server_error
from support.live import LiveService

# The role each operation is called with is the fuzzing's (`bench/_fuzz.py`, as in `tests/proof`).
BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
from _fuzz import ROLES, role_for  # noqa: E402

# Examples per operation and mode; `INGE_SCHEMATHESIS_EXAMPLES=200` for a deep run.
EXAMPLES = int(os.environ.get("INGE_SCHEMATHESIS_EXAMPLES", "8"))


def test_no_operation_answers_with_a_server_error(live_service: LiveService) -> None:
    tokens = {
        role: live_service.token(role, "NUE" if role in {"caseworker", "supervisor"} else None)
        for role in ROLES
    }
    schema = schemathesis.openapi.from_url(f"{live_service.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        role = role_for(f"{operation.method.upper()} {operation.path}")
        headers = {"Authorization": f"Bearer {tokens[role]}"}
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
        case.call_and_validate(base_url=base_url, headers=headers, checks=[not_a_server_error])

    return check  # type: ignore[no-any-return]
