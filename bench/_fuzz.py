"""Schemathesis over the live service: stateful sequences (OpenAPI links) and every operation.

Schemathesis 4.32 infers the links between operations from the response schemas and path
parameters itself (`schema.as_state_machine()`, about 90 transitions here: a registration
feeds the identity, results, documents and audit routes; a claim feeds release and take-over,
an issued document its PDF), so the OpenAPI needs no hand-written `links`.

Each call carries a token of a role allowed to use the operation, so generated input reaches
the use case instead of stopping at the role check, and a positive registration is placed in
the office whose caseworkers the sequence uses, so chains go on into the case routes. Checks:
no 5xx (`not_a_server_error`) and no 2xx for invalid data (`negative_data_rejection`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection

CHECKS = [not_a_server_error, negative_data_rejection]
ROLES = ("caseworker", "supervisor", "course_provider", "test_institute", "oet", "admin")
ROLE_BY_PREFIX = (
    ("POST /v1/participants/{participant_id}/", "caseworker"),
    ("POST /v1/participants", "course_provider"),
    ("PUT /v1/participants", "course_provider"),
    ("POST /v1/dtz-results", "test_institute"),
    ("POST /v1/lid-results", "oet"),
    ("POST /v1/repetition-applications/{", "caseworker"),
    ("POST /v1/repetition-applications", "course_provider"),
    ("GET /v1/stats", "supervisor"),
    ("POST /v1/postbox/{entry_id}/take-over", "supervisor"),
    ("GET /v1/offices", "admin"),
    ("POST /v1/offices", "admin"),
    ("GET /v1/tokens", "admin"),
    ("POST /v1/tokens", "admin"),
)


def mint_tokens(database_url: str, office: str) -> tuple[dict[str, str], dict[int, int]]:
    """A token per role (office roles of `office`) and, for each, a decoy to revoke instead."""
    from datetime import UTC, datetime

    from inge_tui.server.auth import create_token
    from inge_tui.server.store.db import make_engine
    from inge_tui.server.store.uow import Store

    engine = make_engine(database_url)
    tokens: dict[str, str] = {}
    protected: dict[int, int] = {}

    def make(tx: Any) -> None:
        for role in ROLES:
            where = office if role in {"caseworker", "supervisor"} else None
            token, row = create_token(tx, role=role, office=where, name=f"Fuzz {role}")
            _decoy, decoy = create_token(tx, role="oet", name=f"Fuzz Köder {role}")
            tokens[role] = token
            protected[int(row["token_id"])] = int(decoy["token_id"])

    try:
        Store(engine, lambda: datetime.now(UTC)).run(make)
    finally:
        engine.dispose()
    return tokens, protected


def role_for(label: str) -> str:
    """The role whose token the operation `METHOD path` is called with."""
    return next((role for prefix, role in ROLE_BY_PREFIX if label.startswith(prefix)), "caseworker")


@dataclass
class Tally:
    """What the sequences sent and got: answers per operation and status."""

    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    cut_short: bool = False  # Hypothesis stopped early (see `run_stateful`)
    rounds: int = 1  # stateful runs that made up this tally
    failures: list[str] = field(default_factory=list)  # `run_operations` goes on after one

    def calls(self) -> int:
        return sum(self.answers.values())

    def statuses(self) -> Counter[int]:
        out: Counter[int] = Counter()
        for (_label, status), n in self.answers.items():
            out[status] += n
        return out


def _all_positive(case: Any) -> bool:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return False
    return not any(c.mode.is_negative for c in meta.components.values())


def steer(case: Any, office: str, protected: dict[int, int], *, registrations: bool = True) -> None:
    """Keep a sequence going: valid registrations land in `office`; our own tokens stay.

    The OpenAPI cannot say everything the service checks (no control characters in names, a
    birth date after 1900, whole numbers as `600` not `600.0`), so a positive registration
    gets a plausible name and birth date; the fields it keeps are still generated. A positive
    revocation of one of the tokens the run calls with revokes its decoy instead.
    """
    if not _all_positive(case):
        return
    label = f"{case.method.upper()} {case.path}"
    if registrations and label == "POST /v1/participants" and isinstance(case.body, dict):
        case.body.update(office=office, surname="Fuzz", given_name="Folge", birth_date="1990-01-01")
        for key in ("contingent_hours", "hours_used"):
            if isinstance(case.body.get(key), float):
                case.body[key] = int(case.body[key])
    if label == "POST /v1/tokens/{token_id}/revoke":
        token_id = case.path_parameters.get("token_id")
        if token_id in protected:
            case.path_parameters["token_id"] = protected[token_id]


def stateful_machine(
    base_url: str,
    tokens: dict[str, str],
    office: str,
    tally: Tally | None = None,
    protected: dict[int, int] | None = None,
) -> type[Any]:
    """The state machine class for the service at `base_url` (see the module docstring).

    `protected` maps the ids of the run's own tokens to decoy token ids (see `steer`).
    """
    protected = protected or {}
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    base = schema.as_state_machine()
    counts = tally if tally is not None else Tally()

    class ServiceMachine(base):  # type: ignore[misc, valid-type]
        def before_call(self, case: Any) -> None:
            steer(case, office, protected)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            role = role_for(f"{case.method.upper()} {case.path}")
            return {"base_url": base_url, "headers": {"Authorization": f"Bearer {tokens[role]}"}}

        def after_call(self, response: Any, case: Any) -> None:
            counts.answers[(f"{case.method.upper()} {case.path}", response.status_code)] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            kwargs.pop("additional_checks", None)
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    return ServiceMachine


def run_stateful(
    base_url: str,
    tokens: dict[str, str],
    office: str,
    *,
    examples: int,
    steps: int,
    derandomize: bool = True,
    protected: dict[int, int] | None = None,
) -> Tally:
    """Run `examples` sequences of up to `steps` calls; raises on the first failed check."""
    tally = Tally()
    machine = stateful_machine(base_url, tokens, office, tally, protected)
    try:
        machine.run(
            settings=settings(
                max_examples=examples,
                stateful_step_count=steps,
                deadline=None,
                derandomize=derandomize,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=(Phase.explicit, Phase.generate),  # a failure is reported as found
            )
        )
    except FlakyStrategyDefinition:
        # The service remembers earlier sequences (a participant id registered before answers
        # 200, not 201), so a replayed prefix may enable other rules; Hypothesis then stops.
        # Every call made until then was checked; the caller sees how many there were.
        tally.cut_short = True
    return tally


def run_operations(
    base_url: str,
    tokens: dict[str, str],
    office: str,
    *,
    examples: int,
    derandomize: bool = True,
    protected: dict[int, int] | None = None,
) -> Tally:
    """Every operation alone, positive and negative data, `examples` each (stateless); a
    failed check is noted in `Tally.failures` and the run goes on with the next one."""
    from hypothesis.errors import Unsatisfiable

    tally = Tally()
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in schemathesis.GenerationMode:
            check = _operation_check(operation, mode, base_url, tokens, office, protected, tally)
            try:
                check(examples, derandomize)
            except Unsatisfiable:
                pass  # no inputs: no negative data
            except (Exception, BaseExceptionGroup) as error:  # a failed check: note it, go on
                label = f"{operation.method.upper()} {operation.path} ({mode.value})"
                tally.failures.append(f"{label}: {_first_failure(error)}")
    return tally


def _first_failure(error: BaseException) -> str:
    """The line of a schemathesis failure report that names what went wrong."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    named = [line for line in lines if line.startswith("- ")]
    return (named or lines or [type(error).__name__])[0][:200]


def _operation_check(
    operation: Any,
    mode: Any,
    base_url: str,
    tokens: dict[str, str],
    office: str,
    protected: dict[int, int] | None,
    tally: Tally,
) -> Any:
    from hypothesis import given

    label = f"{operation.method.upper()} {operation.path}"
    headers = {"Authorization": f"Bearer {tokens[role_for(label)]}"}

    def run(examples: int, derandomize: bool) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=derandomize,
            database=None,
        )
        def check(case: Any) -> None:
            steer(case, office, protected or {}, registrations=False)
            response = case.call(base_url=base_url, headers=headers)
            tally.answers[(label, response.status_code)] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        check()

    return run
