"""What the contract promises at its edges (issue 15, item 1, second round): the OpenAPI says
what the service checks, and a request it calls valid is not refused as malformed."""

from __future__ import annotations

from typing import Any

from support.cases import Actors


def test_if_match_and_a_body_version_that_disagree_are_a_stale_version(actors: Actors) -> None:
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    url = f"/v1/postbox/{entry['entry_id']}/claim"
    current = entry["version"]
    answer = actors.caseworker.post(
        url, json={"version": current}, headers={"If-Match": str(current + 1)}
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "version_conflict"
    assert actors.entries(pid, status="offen"), "nothing was claimed"
    # both naming the current version: claimed
    agreed = actors.caseworker.post(
        url, json={"version": current}, headers={"If-Match": f'"{current}"'}
    )
    assert agreed.status_code == 200, agreed.text


def test_a_whole_number_written_with_a_point_is_that_number(actors: Actors) -> None:
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    url = f"/v1/postbox/{entry['entry_id']}/claim"
    half = actors.caseworker.post(url, json={"version": entry["version"] + 0.5})
    assert half.status_code == 422
    assert half.json()["detail"] == [{"field": "version", "message": "ganze Zahl erwartet"}]
    for refused in ("1", True):
        assert actors.caseworker.post(url, json={"version": refused}).status_code == 422
    whole = actors.caseworker.post(url, json={"version": float(entry["version"])})
    assert whole.status_code == 200, whole.text


def test_every_refusal_speaks_german_even_for_a_path_that_is_no_number(actors: Actors) -> None:
    answer = actors.caseworker.get("/v1/postbox/null")
    assert answer.status_code == 422
    assert answer.json()["detail"] == [{"field": "entry_id", "message": "ganze Zahl erwartet"}]


def _parameters(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path} {parameter['name']}", parameter)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
    ]


def test_the_openapi_says_what_the_service_checks(actors: Actors) -> None:
    spec = actors.caseworker.get("/openapi.json").json()
    for label, parameter in _parameters(spec):
        if parameter["in"] in {"header", "query"}:
            assert "null" not in str(parameter["schema"].get("anyOf", "")), label
    schemas = spec["components"]["schemas"]

    def walk(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [k for k in node if k in {"ge", "le", "gt", "lt"}] + [
                key for value in node.values() for key in walk(value)
            ]
        if isinstance(node, list):
            return [key for value in node for key in walk(value)]
        return []

    assert walk(schemas) == [], "pydantic's ge/le are not JSON Schema: say minimum/maximum"
    claim = schemas["ClaimIn"]["properties"]["version"]["anyOf"][0]
    assert (claim["minimum"], claim["type"]) == (1, "integer")
    name = schemas["OfficeIn"]["properties"]["name"]["pattern"]
    assert "\\u202a-\\u202e" in name and "\\x00-\\x09" in name
    scoring = schemas["DtzScoringIn"]["properties"]["parts"]["properties"]
    assert scoring["sprechen"]["multipleOf"] == 0.5 and scoring["hoeren_lesen"]["maximum"] == 45
    decision = schemas["RepetitionDecisionIn"]["allOf"]
    assert {b["if"]["properties"]["decision"]["const"] for b in decision} == {"approve", "reject"}
