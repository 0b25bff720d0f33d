"""Synthetic demo cases: a pure, deterministic, fast generator (no database, no I/O).

`generate(n, offices=..., seed=..., today=...)` yields `DemoCase`s; the same arguments always give
the same cases. Only `random.Random(seed)` is used, with precomputed tables, so a bulk seeding of
1,000,000 participants spends seconds here, not minutes.

Every person, number and address is invented (domain.md Part A 7). The formats are ours:

- participant id: ``TN-`` + 9 digits, a permutation of the running number (unique per seed);
- ID document number: a type prefix (``RP`` Reisepass, ``PA`` Personalausweis, ``PE``
  Passersatz, ``AE`` Ausweisersatz) + 7 digits;
- DTZ exam centre: ``PST-`` + office suffix + ``-`` + 3 digits, e.g. ``PST-BER-007``;
- Regionalstelle codes: ``RS-`` + three letters (`OFFICES`); postal codes are 5 digits from the
  office city's real range, street names are common German ones with random house numbers.

Names come from many origins (Turkish, Arabic and Persian transliterations, Afghan, Kurdish,
Ukrainian, Polish, Romanian, Balkan, Vietnamese, Eritrean, West African, Spanish, Norwegian,
Hungarian, Czech, Greek) with their diacritics, and a small share is written in Arabic, Cyrillic
or Greek script. The cases cover every rule path with plausible frequencies: DTZ B1/A2/unter A2
with points at the thresholds (32/33, 19/20, 14/15, 6/7, 74.5/75, 34.5/35), incomplete DTZ
transmissions, LiD around the pass marks (14–17), self-payers without a web-service DTZ, missing
ID document or address, alternative B1 proofs (valid, too old, presented too late, level too
low), repetition applications received before and after 07.12.2024 for every course type,
contingents used up or not, old entitlements and early Intensivkurse. The first cases of every
run are a fixed showcase of these paths, so even a small demo shows each of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from inge_tui.server.demo import tables as T

OFFICES: dict[str, str] = {code: name for code, (name, _) in T.OFFICE_PLACES.items()}


@dataclass(frozen=True, slots=True)
class DemoCase:
    """One synthetic participant with everything the outside systems would report about them."""

    participant_id: str
    surname: str
    given_name: str
    birth_date: date
    course_type: str
    contingent_hours: int
    hours_used: int
    self_payer: bool
    office: str
    entitlement_date: date
    registered_on: date
    course_start: date
    document_type: str | None
    document_number: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    dtz_exam_date: date | None
    dtz_exam_center: str | None
    dtz_parts: tuple[float | None, float | None, float | None] | None
    lid_exam_date: date | None
    lid_points: int | None
    alt_b1: tuple[str, str, date, date] | None
    repetition: tuple[date, int, bool] | None
    created_at: datetime


def _fast_constructor() -> Callable[..., DemoCase]:
    """`DemoCase(...)` by position, about a third faster than the frozen dataclass __init__.

    A frozen dataclass assigns each field through `object.__setattr__`; setting the slots through
    their descriptors gives the same, equal, still frozen object in less time, which matters at a
    million cases. The function is generated from `fields(DemoCase)`, so it follows the class.
    """
    names = [field.name for field in fields(DemoCase)]
    setters = {f"_set_{name}": getattr(DemoCase, name).__set__ for name in names}
    source = (
        f"def make({', '.join(names)}):\n    case = _new(DemoCase)\n"
        + "".join(f"    _set_{name}(case, {name})\n" for name in names)
        + "    return case\n"
    )
    namespace: dict[str, object] = {"_new": object.__new__, "DemoCase": DemoCase, **setters}
    exec(source, namespace)  # code built above from our own field names
    return namespace["make"]  # type: ignore[return-value]


_make_case = _fast_constructor()


class Facets(NamedTuple):
    """The shape of a case before its dates, names and points are drawn."""

    course: int  # index into T.COURSE_TYPES
    self_payer: bool
    identity: int  # T.ID_OK, T.ID_NO_DOCUMENT, T.ID_NO_NUMBER, T.ID_NO_ADDRESS, T.ID_NOTHING
    dtz: int  # T.DTZ_B1, T.DTZ_A2, T.DTZ_UNTER, T.DTZ_PARTIAL, T.DTZ_NONE
    dtz_edge: bool  # one part exactly at or next to a threshold
    lid: int  # points, or T.LID_NONE, T.LID_DRAW, T.LID_EDGE
    alt: int  # T.ALT_NONE, T.ALT_VALID, T.ALT_OLD, T.ALT_LATE, T.ALT_LOW
    repetition: int  # T.REP_NONE, T.REP_LEGACY, T.REP_NEW
    used_up: bool  # contingent used up


def _showcase() -> tuple[Facets, ...]:
    """One case per rule path, in front of the random ones."""
    cases = [
        Facets(
            course,
            False,
            T.ID_OK,
            T.DTZ_A2 if course % 2 else T.DTZ_UNTER,
            True,
            T.LID_DRAW,
            T.ALT_NONE,
            rep,
            True,
        )
        for course in range(len(T.COURSE_TYPES))
        for rep in (T.REP_LEGACY, T.REP_NEW)
    ]
    base = Facets(0, False, T.ID_OK, T.DTZ_B1, True, 20, T.ALT_NONE, T.REP_NONE, True)
    cases += [base._replace(dtz=dtz) for dtz in (T.DTZ_A2, T.DTZ_UNTER, T.DTZ_PARTIAL, T.DTZ_NONE)]
    cases += [base._replace(lid=points) for points in (14, 15, 16, 17)]
    cases.append(base._replace(lid=T.LID_NONE))
    cases += [base._replace(identity=problem) for problem in T.ID_PROBLEMS]
    self_payer = base._replace(self_payer=True, dtz=T.DTZ_NONE)
    cases += [self_payer._replace(alt=alt) for alt in (T.ALT_NONE, T.ALT_VALID, T.ALT_OLD)]
    cases += [self_payer._replace(alt=alt) for alt in (T.ALT_LATE, T.ALT_LOW)]
    cases.append(base._replace(dtz=T.DTZ_A2, alt=T.ALT_VALID))
    cases.append(base._replace(dtz=T.DTZ_A2, used_up=False))
    cases.append(base._replace(course=1))  # an Intensivkurs that began before 01.05.2023 (R18)
    return tuple(cases)


SHOWCASE = _showcase()


def generate(
    n: int,
    *,
    offices: Sequence[str] = ("RS-BER", "RS-NBG", "RS-HAM"),
    seed: int = 1,
    today: date,
) -> Iterator[DemoCase]:
    """`n` synthetic cases spread over `offices`, created during the 120 days before `today`."""
    if n < 0:
        raise ValueError("n must not be negative")
    if not offices:
        raise ValueError("at least one office is needed")
    return _generate(n, tuple(offices), seed, today)


def _generate(n: int, offices: tuple[str, ...], seed: int, today: date) -> Iterator[DemoCase]:
    rng = random.Random(seed)
    rand, bits = rng.random, rng.getrandbits
    facet_table, people, dtz_tables = T.facet_table(), T.people_table(), T.dtz_tables()
    office_data = [(code, T.addresses_for(code), T.centers_for(code)) for code in offices]
    office_count, showcase = len(offices), len(SHOWCASE)
    today_ord = today.toordinal()
    first_day = today_ord - 120
    start = datetime.combine(date.fromordinal(first_day), time(), tzinfo=UTC)
    day = T.days(min(today_ord - 23_000, T.EARLY_INTENSIV_ORD - 3_000), today_ord + 400).__getitem__
    legacy_span = max(1, min(T.REFORM_ORD, today_ord) - T.LEGACY_FROM_ORD)
    new_rules = today_ord > T.REFORM_ORD
    id_offset = (seed * 2_654_435_761) % 1_000_000_000
    # Locals, not module attributes, in the loop: it runs a million times.
    make, seconds_delta = _make_case, timedelta
    contingents, course_types = T.CONTINGENT, T.COURSE_TYPES
    early_intensiv, lid_draws = T.EARLY_INTENSIV_ORD, T.LID_DRAWS
    id_no_document, id_no_number, id_no_address, id_nothing = T.ID_PROBLEMS

    for index in range(n):
        course_index, self_payer, identity, dtz, dtz_edge, lid, alt, rep, used_up = (
            SHOWCASE[index] if index < showcase else facet_table[bits(16)]
        )
        (
            surname,
            given,
            cut,
            unused,
            lid_back,
            dtz_back,
            jitter,
            early,
            reg_back,
            ent_back,
            age,
            doc_type,
            doc_prefix,
        ) = people[bits(16)]
        office, addresses, centers = office_data[index % office_count]
        number = (index * 387_420_489 + id_offset) % 1_000_000_000
        seconds = int(rand() * 10_368_000)  # within the 120 days
        created_ord = first_day + seconds // 86_400
        contingent = contingents[course_index] - cut
        legacy = rep == T.REP_LEGACY or (rep and not new_rules)
        if legacy:  # received under the old rules: the DTZ came shortly before
            received = T.LEGACY_FROM_ORD + int(rand() * legacy_span)
            dtz_ord = received - 7 - jitter // 2
            lid_ord = min(dtz_ord + dtz_back, created_ord - 1)
        else:
            lid_ord = created_ord - lid_back
            dtz_ord = lid_ord - dtz_back
        if course_index == 1 and (early or index < showcase):
            start_ord = early_intensiv - jitter * 4
        else:
            start_ord = dtz_ord - contingent * 7 // 20 - jitter
        registered_ord = start_ord - reg_back

        doc_number: str | None = f"{doc_prefix}{(number * 48_271 + 17) % 10_000_000:07d}"
        street, postal, city = addresses[bits(12)]
        if identity:
            if identity in (id_no_document, id_nothing):
                doc_type = doc_number = None
            elif identity == id_no_number:
                doc_number = None
            if identity in (id_no_address, id_nothing):
                street = postal = city = None

        if self_payer or dtz == 4:  # T.DTZ_NONE
            dtz_parts = dtz_date = dtz_center = None
        else:
            dtz_parts = dtz_tables[dtz * 2 + dtz_edge][bits(12)]
            dtz_date = day(dtz_ord)
            dtz_center = centers[bits(5)]
        if lid >= 0:
            lid_points: int | None = lid
        elif lid == -1:  # T.LID_NONE
            lid_points = None
        else:  # T.LID_DRAW (-2) or T.LID_EDGE (-3)
            lid_points = lid_draws[lid == -3][int(rand() * 100)]

        alt_b1 = T.alt_proof(rand, alt, registered_ord, day) if alt else None
        repetition = None
        if rep:
            if not legacy:
                received = max(T.REFORM_ORD, min(today_ord, created_ord - int(rand() * 14)))
            repetition = (day(received), T.hours_asked(rand), rand() < 0.88)

        yield make(
            f"TN-{number:09d}",
            surname,
            given,
            day(today_ord - age),
            course_types[course_index],
            contingent,
            contingent if used_up or unused >= contingent else contingent - unused,
            self_payer,
            office,
            day(registered_ord - ent_back),
            day(registered_ord),
            day(start_ord),
            doc_type,
            doc_number,
            street,
            postal,
            city,
            dtz_date,
            dtz_center,
            dtz_parts,
            None if lid_points is None else day(lid_ord),
            lid_points,
            alt_b1,
            repetition,
            start + seconds_delta(0, seconds),
        )
