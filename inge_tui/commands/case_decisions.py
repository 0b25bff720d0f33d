"""The case commands that record a decision or a result: decide a repetition application,
capture a self-payer's paper DTZ, record an alternative B1 proof. Registered when
`inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from typing import Any

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Participant, RepetitionApplication
from inge_tui.api.words import DOCUMENT_NAMES, date_de
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import (
    change_availability,
    current_case,
    failure,
    loaded_case,
    no_case,
    refresh_case,
)
from inge_tui.commands.parsing import parse_date, parse_hours, parse_points, points_value
from inge_tui.i18n import N_, _

# ---- repetition ---------------------------------------------------------------------------------


def open_applications(participant: Participant) -> list[RepetitionApplication]:
    return [a for a in participant.applications if a.status == "offen"]


@register
class DecideRepetition(Command):
    id = "decide-repetition"
    title = N_("Wiederholungsantrag entscheiden")
    help = N_(
        "Bewilligt (bis 300 UE; Verzicht auf die DTZ-Voraussetzung nur mit Begründung) oder "
        "lehnt ab (Begründung nötig), nach den Regeln am Eingangstag des Antrags."
    )
    binding = "case.repetition"
    key = "w"
    label = N_("Antrag")
    args = (
        Arg("application", N_("Nummer des Antrags"), kind=int),
        Arg("decision", N_("approve oder reject"), choices=("approve", "reject")),
        Arg("hours", N_("bewilligte UE (nur bei approve)"), required=False),
        Arg("waive", N_("auf die DTZ-Voraussetzung verzichten"), kind=bool, required=False),
        Arg("reason", N_("Begründung"), required=False, rest=True),
    )
    changes_data = True

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        pending = open_applications(session.participant)
        if not pending:
            return Availability(False, _("Kein offener Wiederholungsantrag"))
        if all(a.waiver_proposal for a in pending):
            return Availability(
                False,
                _("Verzicht wartet auf die Freigabe durch die Leitung (G freigeben, A ablehnen)"),
            )
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        decision = kwargs["decision"]
        hours_raw = kwargs.get("hours")
        reason = (kwargs.get("reason") or "").strip()
        if decision == "reject" and hours_raw:  # no hours on a rejection: it is the reason
            reason = f"{hours_raw} {reason}".strip()
            hours_raw = None
        hours: int | None = None
        if decision == "approve":
            try:
                hours = parse_hours(hours_raw)
            except ValueError as error:
                said = _("Stunden: {error}").format(error=error)
                return Outcome(False, said, {"fields": [_field("hours", error)]})
        participant = await loaded_case(session)
        if isinstance(participant, Outcome):
            return participant
        application = next(
            (a for a in participant.applications if a.application_id == kwargs["application"]),
            None,
        )
        if application is None:
            said = _("Antrag {id} gehört nicht zu diesem Fall.")
            return Outcome(False, said.format(id=kwargs["application"]))
        try:
            decided = await session.client.decide_repetition(
                application.application_id,
                decision=decision,
                hours=hours,
                waive_dtz_condition=bool(kwargs.get("waive")),
                reason=reason or None,
                version=participant.version,
            )
        except ApiError as error:
            return failure(error, draft=True)
        await refresh_case(session, participant.participant_id)
        if decided.waiver_proposal is not None:
            summary = _(
                "Verzicht vorgeschlagen: die Wiederholung von {hours} UE (Antrag {id}) wartet auf"
                " die Freigabe durch die Leitung (Vier-Augen-Prinzip)."
            ).format(hours=decided.waiver_proposal.hours, id=decided.application_id)
            return Outcome(True, summary, {"application_id": decided.application_id})
        summary = repetition_summary(
            decided, decision, hours, bool(kwargs.get("waive")), reason, done=True
        )
        return Outcome(True, summary, {"application_id": decided.application_id})


def _field(name: str, error: Exception) -> dict[str, str]:
    return {"field": name, "message": str(error)}


# ---- forms --------------------------------------------------------------------------------------

# the blockers that say the web service has not (fully) delivered the DTZ: only then may the
# result of someone who is not a self-payer be captured from paper, with a reason (R8)
DTZ_NOT_DELIVERED = frozenset({"dtz_fehlt", "dtz_unvollstaendig"})


@register
class CapturePaperDtz(Command):
    id = "capture-paper-dtz"
    title = N_("DTZ von Papier erfassen")
    help = N_(
        "Erfasst ein DTZ-Ergebnis vom Papierbogen, alle drei Teile: bei Selbstzahlern; sonst "
        "nur mit Grund (capture_reason), wenn der Web-Service es nicht geliefert hat."
    )
    binding = "case.paper-dtz"
    key = "d"
    label = N_("Papier-DTZ")
    args = (
        Arg("hoeren_lesen", N_("Punkte Hören/Lesen (0–45)")),
        Arg("schreiben", N_("Punkte Schreiben (0–20)")),
        Arg("sprechen", N_("Punkte Sprechen (0–100, halbe Punkte mit Komma)")),
        Arg("exam_date", N_("Prüfungsdatum (TT.MM.JJJJ)")),
        Arg("exam_center", N_("Prüfstelle"), rest=True),
    )
    changes_data = True

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        p = session.participant
        missing = any(b.code in DTZ_NOT_DELIVERED for b in p.assessment.blockers)
        if not p.self_payer and not missing:
            return Availability(
                False,
                _(
                    "Nur bei Selbstzahlern, oder wenn der Web-Service das DTZ-Ergebnis nicht"
                    " geliefert hat"
                ),
            )
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        try:
            participant = await current_case(session)
        except ApiError as error:
            return failure(error, draft=True)
        allowed = self.available(session)
        if not allowed.ok:
            return Outcome(False, allowed.why)
        reason = str(kwargs.get("capture_reason") or "").strip()
        fields: list[dict[str, str]] = []
        parts: dict[str, float] = {}
        for part in ("hoeren_lesen", "schreiben", "sprechen"):
            try:
                parts[part] = parse_points(str(kwargs.get(part, "")))
            except ValueError as error:
                fields.append(_field(part, error))
        fields.extend(await _scale_problems(session, parts))
        try:
            exam_date = parse_date(str(kwargs.get("exam_date", "")))
        except ValueError as error:
            fields.append(_field("exam_date", error))
        center = str(kwargs.get("exam_center") or "").strip()
        if not center:
            fields.append({"field": "exam_center", "message": _("Prüfstelle fehlt")})
        if participant is not None and not participant.self_payer and not reason:
            fields.append(
                {
                    "field": "capture_reason",
                    "message": _("kein Selbstzahler: Grund angeben, warum vom Papier erfasst wird"),
                }
            )
        if fields:
            return _invalid(fields)
        body = {
            **({"capture_reason": reason} if reason else {}),
            "exam_date": exam_date.isoformat(),
            "exam_center": center,
            "parts": {name: points_value(points) for name, points in parts.items()},
        }
        return await _send_form(session, "capture_paper_dtz", body, _("Papier-DTZ erfasst"))


@register
class RecordAlternativeB1(Command):
    id = "record-alternative-b1"
    title = N_("Alternativen B1-Nachweis erfassen")
    help = N_(
        "Erfasst ein anderes Sprachzertifikat (mindestens B1, höchstens ein Jahr alt, "
        "vorgelegt bis zur Anmeldung beim Kursträger) statt des DTZ."
    )
    binding = "case.alt-b1"
    key = "b"
    label = N_("B1-Nachweis")
    args = (
        Arg("level", N_("Niveau"), choices=("A1", "A2", "B1", "B2", "C1", "C2")),
        Arg("issued_on", N_("ausgestellt am (TT.MM.JJJJ)")),
        Arg("presented_on", N_("vorgelegt am (TT.MM.JJJJ)")),
        Arg("exam_name", N_("Prüfung, z. B. Goethe-Zertifikat B1"), rest=True),
    )
    changes_data = True

    def available(self, session: Session) -> Availability:
        return change_availability(session)

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        fields: list[dict[str, str]] = []
        dates = {}
        for name in ("issued_on", "presented_on"):
            try:
                dates[name] = parse_date(str(kwargs.get(name, ""))).isoformat()
            except ValueError as error:
                fields.append(_field(name, error))
        exam = str(kwargs.get("exam_name") or "").strip()
        if not exam:
            fields.append({"field": "exam_name", "message": _("Prüfung fehlt")})
        level = str(kwargs.get("level") or "").strip().upper()
        if level not in ("A1", "A2", "B1", "B2", "C1", "C2"):
            fields.append({"field": "level", "message": _("Niveau A1 bis C2 angeben")})
        if fields:
            return _invalid(fields)
        body = {"exam_name": exam, "level": level, **dates}
        done = _("B1-Nachweis erfasst")
        return await _send_form(session, "record_alternative_b1", body, done)


async def _scale_problems(session: Session, parts: dict[str, float]) -> list[dict[str, str]]:
    """What the service's scale says against these points (its thresholds, not ours), one
    field each; nothing when all fit or the service cannot be asked (sending will say)."""
    if not parts:
        return []
    try:
        await session.client.score_dtz(parts)
    except ApiError as error:
        return [{"field": f.field.split(".")[-1], "message": f.message} for f in error.fields]
    return []


def _invalid(fields: list[dict[str, str]]) -> Outcome:
    text = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return Outcome(False, _("Eingabe unvollständig: {text}").format(text=text), {"fields": fields})


async def _send_form(session: Session, method: str, body: dict[str, Any], done: str) -> Outcome:
    try:
        participant = await current_case(session)
        if participant is None:
            return Outcome(False, no_case().why)
        send = getattr(session.client, method)
        fresh: Participant = await send(participant.participant_id, body, participant.version)
    except ApiError as error:
        return failure(error, draft=True)
    session.participant = fresh
    document = fresh.assessment.document
    now = _("; jetzt: {document}").format(document=DOCUMENT_NAMES[document]) if document else ""
    return Outcome(True, f"{done}{now}.", {"participant_id": fresh.participant_id})


def repetition_summary(
    application: RepetitionApplication,
    decision: str,
    hours: int | None,
    waive: bool,
    reason: str,
    *,
    done: bool = False,
) -> str:
    """Exactly what a decision does, e.g. `Wiederholung von 300 UE wird bewilligt (…)`."""
    assessment = application.assessment
    rules = application.rules_version or (assessment.rules_version if assessment else "")
    source = _("Antrag {id} vom {date}").format(
        id=application.application_id, date=date_de(application.received_on)
    ) + (_(", Regeln {rules}").format(rules=rules) if rules else "")
    written = reason.strip()
    if decision == "approve":
        shown = hours if hours is not None else "?"
        if waive and not (assessment is not None and assessment.eligible):
            return _(
                "Wiederholung von {hours} UE mit Verzicht auf die DTZ-Voraussetzung wird"
                " vorgeschlagen ({source}): wirksam erst mit der Freigabe durch die Leitung"
                " (Vier-Augen-Prinzip). Begründung: „{reason}“."
            ).format(hours=shown, source=source, reason=written or "…")
        said = (
            _("Wiederholung von {hours} UE bewilligt ({source}).")
            if done
            else _("Wiederholung von {hours} UE wird bewilligt ({source}).")
        )
        text = said.format(hours=shown, source=source)
        if waive:
            text += _(" Auf die DTZ-Voraussetzung wird verzichtet: „{reason}“.").format(
                reason=written or "…"
            )
        elif written:
            text += _(" Begründung: „{reason}“.").format(reason=written)
        return text
    said = (
        _("Antrag auf Wiederholung abgelehnt ({source}). Begründung: „{reason}“.")
        if done
        else _("Antrag auf Wiederholung wird abgelehnt ({source}). Begründung: „{reason}“.")
    )
    return said.format(source=source, reason=written or "…")
