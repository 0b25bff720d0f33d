"""Schemathesis in sequences: generated calls chained along the links between operations.

A bounded run (`INGE_STATEFUL_EXAMPLES` sequences of up to 8 calls; `bench/hostile.py` runs a
longer one and every operation alone): no answer is a 5xx, and no invalid input gets a 2xx.
The sequences run against a real service over a store of their own (they revoke tokens and
create offices), with a token per role; see `bench/_fuzz.py` for how they are steered.
"""

from __future__ import annotations

import os

import pytest
from _fuzz import mint_tokens, run_stateful
from support.live import LiveService

EXAMPLES = int(os.environ.get("INGE_STATEFUL_EXAMPLES", "15"))
OFFICE = "NUE"


@pytest.mark.slow
def test_generated_sequences_never_crash_and_never_accept_invalid_data(
    own_service: LiveService,
) -> None:
    tokens, protected = mint_tokens(own_service.database_url, OFFICE)
    tally = run_stateful(
        own_service.base_url, tokens, OFFICE, examples=EXAMPLES, steps=8, protected=protected
    )
    statuses = tally.statuses()
    assert not any(status >= 500 for status in statuses)
    assert tally.calls() >= 30, tally  # enough was sent even if Hypothesis stopped early
    registered = tally.answers[("POST /v1/participants", 201)]
    assert registered > 0  # the sequences got past registration into the case routes
