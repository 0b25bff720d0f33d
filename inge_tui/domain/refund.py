"""R16: refund of 50 % of the contribution actually paid (§ 9 Abs. 6, § 22 Abs. 2 IntV).

Our reading of the law, where domain.md leaves a choice:
- The 3-year window needs a first Teilnahmeberechtigung dated on or after 01.02.2023 and a
  course under § 13 Abs. 1 IntV as it stood then: Alphabetisierungs-, Zweitschriftlerner- and
  Förderkurs, and the Jugend-, Eltern- and Frauenintegrationskurs (still listed in 2023). The
  Intensivkurs is § 13 Abs. 2 and the general course § 10/§ 11: both keep 2 years.
- The window ends on the day of the Berechtigung's date N years later (§ 188 Abs. 2 BGB); success
  counts if it was shown on or before that day. Success is the first day both B1 and a LiD pass
  were shown (`completion.success_date`), not the day the Zertifikat was printed.
- The contribution actually paid already reflects a partial exemption; 0 means fully exempt.
- Self-payers hold no Teilnahmeberechtigung and so have no refund claim (domain.md § 9).
- A partial exemption shows only in the amount: given the contribution that would have been due
  without it (`contribution_full`), the conditions say how much was exempt; 50 % of what was
  actually paid is refunded either way (§ 9 Abs. 6 IntV, "proportional").
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ._calendar import add_years
from ._format import CENT, course_de, date_de, euro_de
from .completion import success_date
from .levels import DEFAULT_THRESHOLDS
from .rulesets import ERSTATTUNG, REFUND_REFORM, rules_version, ruleset_for
from .said import said
from .types import CaseFacts, Condition, CourseType, Reason, RefundAssessment, Thresholds

SPECIAL_COURSES = frozenset(
    {
        CourseType.ALPHABETISIERUNG,
        CourseType.ZWEITSCHRIFTLERNER,
        CourseType.FOERDERBEDARF,
        CourseType.JUGEND,
        CourseType.ELTERN,
        CourseType.FRAUEN,
    }
)
REFUND_SHARE = Decimal("0.5")
NOTHING = Decimal("0.00")
CITE = "§ 9 Abs. 6 IntV"
CITE_LONG_WINDOW = "§ 9 Abs. 6, § 22 Abs. 2 IntV"
CITE_EXEMPTION = "§ 9 Abs. 2, Abs. 6 IntV"
CITE_SUCCESS = "§ 9 Abs. 6, § 17 Abs. 2 IntV"


def assess_refund(
    facts: CaseFacts,
    *,
    contribution_paid: Decimal,
    contribution_full: Decimal | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RefundAssessment:
    """Whether 50 % of `contribution_paid` is refunded, until when success counts, and why;
    `contribution_full`: the contribution without any exemption, when known."""
    paid = _amount(contribution_paid)
    full = _amount(contribution_full) if contribution_full is not None else None
    failures: list[Reason] = []
    notes: list[Reason] = []
    if facts.self_payer:
        failures.append(
            _r16(said("Selbstzahler ohne Teilnahmeberechtigung: kein Erstattungsanspruch"))
        )
    if not facts.zertifikat_issued:
        failures.append(_r16(said("Kein Zertifikat Integrationskurs ausgestellt")))
    if paid == 0:
        failures.append(
            _r16(said("Kein Kostenbeitrag gezahlt (vollständig befreit): nichts zu erstatten"))
        )

    success = success_date(facts, thresholds=thresholds)
    deadline = years = None
    version = ERSTATTUNG  # the topic alone: no dated rule set can be chosen without the date
    entitled = facts.entitlement_date
    if entitled is None:
        failures.append(
            _r16(said("Datum der ersten Teilnahmeberechtigung unbekannt: Frist unbestimmt"))
        )
    else:
        version = ruleset_for(ERSTATTUNG, entitled).id
        special = facts.course_type in SPECIAL_COURSES
        years = 3 if entitled >= REFUND_REFORM and special else 2
        deadline = add_years(entitled, years)
        why = (
            said(
                "{course} nach § 13 Abs. 1 IntV, Berechtigung ab 01.02.2023",
                course=course_de(facts.course_type),
            )
            if years == 3
            else said("allgemeine Frist")
        )
        notes.append(
            Reason(
                "R16",
                said(
                    "Frist {years} Jahre ab der ersten Teilnahmeberechtigung vom {day} ({why}):"
                    " Erfolg bis {deadline}",
                    years=years,
                    day=date_de(entitled),
                    why=why,
                    deadline=date_de(deadline),
                ),
                CITE_LONG_WINDOW if years == 3 else CITE,
            )
        )
    if success is None:
        failures.append(_r16(said("Erfolgreiche Teilnahme (§ 17 Abs. 2 IntV) nicht nachgewiesen")))
    elif deadline is not None and success > deadline:
        failures.append(
            _r16(
                said(
                    "Erfolg am {day}, nach Fristende am {deadline}",
                    day=date_de(success),
                    deadline=date_de(deadline),
                )
            )
        )
    elif deadline is not None:
        notes.append(_r16(said("Erfolg am {day}, innerhalb der Frist", day=date_de(success))))

    eligible = not failures
    amount = (paid * REFUND_SHARE).quantize(CENT, rounding=ROUND_HALF_UP) if eligible else NOTHING
    if eligible:
        notes.append(
            _r16(
                said(
                    # the share as a value: "50 % d…" in a template reads as a %-format to Babel
                    "Erstattung: {share} des gezahlten Kostenbeitrags von {paid} = {amount}",
                    share="50 %",
                    paid=euro_de(paid),
                    amount=euro_de(amount),
                )
            )
        )
    conditions = _conditions(facts, paid, full, success, deadline, years, entitled)
    return RefundAssessment(
        eligible=eligible,
        amount=amount,
        deadline=deadline,
        window_years=years,
        success_date=success,
        reasons=tuple(failures + notes),
        rules_version=rules_version(version, thresholds=thresholds),
        conditions=conditions,
    )


def _conditions(
    facts: CaseFacts,
    paid: Decimal,
    full: Decimal | None,
    success: date | None,
    deadline: date | None,
    years: int | None,
    entitled: date | None,
) -> tuple[Condition, ...]:
    """R16's conditions one by one, as the caseworker checks them before deciding."""

    def condition(code: str, met: bool, text: str, cite: str = CITE, **kw: bool) -> Condition:
        return Condition("R16", code, text, cite, met, **kw)

    if facts.self_payer:
        entitled_text = said("Selbstzahler ohne Teilnahmeberechtigung: kein Erstattungsanspruch")
    elif entitled is None:
        entitled_text = said("Teilnahmeberechtigung: Datum der ersten Berechtigung unbekannt")
    else:
        entitled_text = said("Erste Teilnahmeberechtigung vom {day}", day=date_de(entitled))
    if deadline is None:
        window = said("Frist unbestimmt (ohne Datum der ersten Teilnahmeberechtigung)")
    elif success is None:
        window = said(
            "Erfolg (DTZ B1 und LiD bestanden) nicht nachgewiesen; Frist bis {deadline}",
            deadline=date_de(deadline),
        )
    else:
        dates = {"day": date_de(success), "years": years, "deadline": date_de(deadline)}
        window = (
            said(
                "Erfolg am {day}, innerhalb der Frist von {years} Jahren (bis {deadline})", **dates
            )
            if success <= deadline
            else said(
                "Erfolg am {day}, nach Ende der Frist von {years} Jahren (bis {deadline})", **dates
            )
        )
    if paid == 0:
        paid_text = said("Kein Kostenbeitrag gezahlt (vollständig befreit): nichts zu erstatten")
    else:
        paid_text = said("Kostenbeitrag gezahlt: {amount}", amount=euro_de(paid))
    conditions = [
        condition(
            "zertifikat",
            facts.zertifikat_issued,
            said("Zertifikat Integrationskurs ausgestellt")
            if facts.zertifikat_issued
            else said("Kein Zertifikat Integrationskurs ausgestellt"),
            CITE_SUCCESS,
        ),
        condition(
            "teilnahmeberechtigung",
            not facts.self_payer and entitled is not None,
            entitled_text,
        ),
        condition(
            "frist",
            success is not None and deadline is not None and success <= deadline,
            window,
            CITE_LONG_WINDOW if years == 3 else CITE,
        ),
        condition("beitrag_gezahlt", paid > 0, paid_text),
    ]
    if full is not None and paid > 0:
        if paid < full:
            text = said(
                "Teilweise befreit: gezahlt {paid} von {full}; erstattet wird die Hälfte des"
                " tatsächlich Gezahlten",
                paid=euro_de(paid),
                full=euro_de(full),
            )
        else:
            text = said(
                "Nicht befreit: voller Kostenbeitrag von {full} gezahlt", full=euro_de(full)
            )
        conditions.append(condition("teilbefreiung", True, text, CITE_EXEMPTION, required=False))
    return tuple(conditions)


def _amount(value: Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        # a float would carry binary cents (0.1 + 0.2); money comes as Decimal or whole euros
        raise ValueError(f"Kostenbeitrag: {value!r} ist kein Geldbetrag (Decimal erwartet)")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"Kostenbeitrag: {value} ist kein Betrag ab 0 €")
    return amount


def _r16(text: str) -> Reason:
    return Reason("R16", text, CITE)
