"""R17: how long each kind of data may be kept (§ 8 Abs. 6 IntV, §§ 11 and 13 IntTestV).

IntTestV counts from the end of the day the test result was communicated. § 8 Abs. 6 IntV
names no starting event for "at the latest after ten / five years"; we read it as the day the
course case was closed (the Zertifikat or Bescheinigung issued), the last use of the data.
Every date is the last day the data may be kept; deletion is due the day after.
"""

from __future__ import annotations

from datetime import date

from ._calendar import add_months, add_years
from ._format import date_de
from .rulesets import LOESCHUNG, ruleset_for
from .types import Reason, RetentionDates

CITE_NAMES = "§ 8 Abs. 6 IntV"
CITE_PAPERS = "§ 13 Abs. 1 IntTestV"
CITE_RESULTS = "§ 13 Abs. 2 IntTestV"
CITE_INSPECTION = "§ 11 IntTestV"


def retention_dates(*, result_communicated_on: date, case_closed_on: date) -> RetentionDates:
    """R17 for one test result and one closed case (for several results, call once each)."""
    ruleset = ruleset_for(LOESCHUNG, case_closed_on)
    told = date_de(result_communicated_on)
    closed = date_de(case_closed_on)
    papers = add_years(result_communicated_on, 1)
    inspection = add_months(result_communicated_on, 3)
    results = add_years(result_communicated_on, 5)
    names = add_years(case_closed_on, 10)
    other = add_years(case_closed_on, 5)
    reasons = (
        Reason(
            "R17",
            f"Prüfungsunterlagen: ein Jahr ab Mitteilung des Ergebnisses am {told}, bis"
            f" {date_de(papers)}",
            CITE_PAPERS,
        ),
        Reason(
            "R17",
            f"Einsicht in die Prüfungsunterlagen: drei Monate ab Mitteilung, bis"
            f" {date_de(inspection)}",
            CITE_INSPECTION,
        ),
        Reason(
            "R17",
            f"Prüfungsergebnis mit Personenkennziffer und Geburtsdatum: fünf Jahre ab Mitteilung,"
            f" bis {date_de(results)}",
            CITE_RESULTS,
        ),
        Reason(
            "R17",
            f"Name, Vorname, Geburtsdatum: höchstens zehn Jahre ab Abschluss am {closed}, bis"
            f" {date_de(names)}",
            CITE_NAMES,
        ),
        Reason(
            "R17",
            f"Übrige personenbezogene Daten: höchstens fünf Jahre ab Abschluss, bis"
            f" {date_de(other)}",
            CITE_NAMES,
        ),
    )
    return RetentionDates(
        exam_papers_until=papers,
        inspection_until=inspection,
        test_results_until=results,
        names_until=names,
        other_personal_data_until=other,
        reasons=reasons,
        rules_version=ruleset.id,
    )
