"""The case commands: issue the document, decide a repetition, capture a paper DTZ or an
alternative B1 proof, reveal the ID number, export the case.

Keys, the palette, scripts and `inge-tui run` all go through these objects. A front end that
can show a preview and hand a file to its user implements `CaseUi` (`case_session`); without it
(a script) `issue-document` only prints the preview unless `--yes` says to issue, and files go
to the state directory. Importing this module registers all of them; the decisions live in
`case_decisions`, the withdrawal of a Zertifikat in `case_withdrawal`, the supervisor's
confirmation of a waiver in `case_waiver`, reversal, copies, dispatch and the number series in
`case_documents`, data requests to the course provider in `case_requests`, refund applications in
`case_refunds`.
"""

from __future__ import annotations

from typing import Any

from inge_tui.api import words
from inge_tui.api.errors import ApiError, ServiceFailed, ServiceUnreachable
from inge_tui.api.words import DOCUMENT_NAMES
from inge_tui.commands import (
    case_decisions,
    case_documents,
    case_refunds,
    case_requests,
    case_waiver,
    case_withdrawal,
)
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_decisions import open_applications
from inge_tui.commands.case_session import (
    CaseUi,
    case_availability,
    current_case,
    deliver,
    failure,
    has_selection,
    loaded_case,
    no_case,
    no_selection,
    refresh_case,
)
from inge_tui.commands.issue_preview import IssuePreview, issue_block_reason, issue_preview
from inge_tui.i18n import N_, _

__all__ = [
    "CaseUi",
    "case_decisions",
    "case_documents",
    "case_refunds",
    "case_requests",
    "case_waiver",
    "case_withdrawal",
    "open_applications",
]


# ---- issuing ------------------------------------------------------------------------------------


@register
class IssueDocument(Command):
    id = "issue-document"
    title = N_("Dokument ausstellen")
    help = N_(
        "Zeigt, was das Zertifikat bzw. die Bescheinigung enthalten wird, stellt es nach "
        "Bestätigung aus und speichert das PDF."
    )
    binding = "case.issue"
    key = "i"
    label = N_("Ausstellen")
    args = (
        Arg(
            "all", N_("alle markierten Einträge, sonst alle des Filters"), kind=bool, required=False
        ),
        Arg("yes", N_("ohne Rückfrage ausstellen (nur für Skripte)"), kind=bool, required=False),
    )
    changes_data = True

    def available(self, session: Session) -> Availability:
        if session.participant is None:
            # the Postkorb with marks or a filter: issue-document --all
            return READY if has_selection(session) else no_selection()
        why = issue_block_reason(session.participant, session.entry)
        return Availability(why is None, why or "")

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        if kwargs.get("all"):
            from inge_tui.commands.bulk import issue_all  # the dry run, then entry by entry

            return await issue_all(session, yes=bool(kwargs.get("yes")))
        if session.participant is None:  # one document: only from an open case
            return Outcome(False, _("Kein Fall geöffnet – open NUMMER, oder für mehrere: --all"))
        participant = await loaded_case(session)
        if isinstance(participant, Outcome):
            return participant
        why = issue_block_reason(participant, session.entry)
        if why is not None:
            return Outcome(False, why, {"blocked": True})
        preview = issue_preview(participant, on=words.today())
        if isinstance(session.ui, CaseUi):
            if not await session.ui.confirm_issue(preview):
                return Outcome(False, _("Ausstellung abgebrochen; nichts wurde ausgestellt."))
        elif not kwargs.get("yes"):
            return Outcome(
                False,
                preview.text()
                + "\n"
                + _("Nichts ausgestellt. Zum Ausstellen: issue-document --yes"),
                {"preview": dict(preview.lines)},
            )
        return await self.issue(session, preview)

    async def issue(self, session: Session, preview: IssuePreview) -> Outcome:
        try:
            certificate = await session.client.issue_certificate(
                preview.participant_id,
                idempotency_key=preview.key,
                expected_document=preview.document.value,
                version=preview.version,
            )
        except ApiError as error:
            outcome = failure(error)
            if isinstance(error, ServiceUnreachable | ServiceFailed):
                outcome.message += _(
                    " Ob das Dokument ausgestellt wurde, ist offen: erneut ausstellen ist "
                    "sicher, es entsteht kein zweites."
                )
            return outcome
        await refresh_case(session, preview.participant_id)
        name = DOCUMENT_NAMES[certificate.kind]
        data: dict[str, Any] = {
            "certificate_id": certificate.certificate_id,
            "kind": certificate.kind.value,
            "participant_id": certificate.participant_id,
        }
        try:
            pdf = await session.client.certificate_pdf(certificate.certificate_id)
            data["pdf"] = await deliver(
                session, pdf, f"{certificate.certificate_id}.pdf", "application/pdf"
            )
        except (ApiError, OSError) as error:
            reason = error.message if isinstance(error, ApiError) else str(error)
            said = _(
                "{document} {number} ausgestellt. Das PDF konnte nicht gespeichert werden "
                "({reason}); es bleibt beim Dienst abrufbar."
            )
            return Outcome(
                True,
                said.format(document=name, number=certificate.certificate_id, reason=reason),
                data,
            )
        said = _("{document} {number} ausgestellt. PDF: {pdf}")
        return Outcome(
            True,
            said.format(document=name, number=certificate.certificate_id, pdf=data["pdf"]),
            data,
        )


# ---- identity and export ------------------------------------------------------------------------


@register
class RevealIdentity(Command):
    id = "reveal-identity"
    title = N_("Ausweisnummer anzeigen")
    help = N_("Zeigt die Nummer des Ausweisdokuments ungekürzt (bewusst aufdecken).")
    binding = "case.reveal"
    key = "r"
    label = N_("Ausweis")

    def available(self, session: Session) -> Availability:
        if session.participant is None:
            return no_case()
        if not session.participant.identity.document_number_masked:
            return Availability(False, _("Keine Ausweisnummer erfasst"))
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        assert session.participant is not None
        try:
            # the service records every reveal in the audit history (domain.md Part A 10)
            identity = await session.client.reveal_identity(session.participant.participant_id)
        except ApiError as error:
            return failure(error)
        number = identity.document_number
        if not number:
            return Outcome(False, _("Keine Ausweisnummer erfasst."))
        said = _("Ausweisnummer: {number}").format(number=number)
        return Outcome(True, said, {"document_number": number, "audited": True})


@register
class ExportCase(Command):
    id = "export"
    title = N_("Fall exportieren (JSON)")
    help = N_("Speichert den Fall mit Ergebnissen, Bewertung und Verlauf als JSON-Datei.")
    binding = "case.export"
    key = "e"  # x cancels a running bulk issue, on every screen
    label = N_("Export")

    def available(self, session: Session) -> Availability:
        return case_availability(session)

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        try:
            participant = await current_case(session)
            if participant is None:
                return Outcome(False, no_case().why)
            fresh = await session.client.participant(participant.participant_id)
        except ApiError as error:
            return failure(error)
        # the ID number as the service sends it in a case: `document_number_masked` only; the
        # full number comes from the audited reveal route alone and never goes into a file
        identity = fresh.identity.model_copy(update={"document_number": None})
        safe = fresh.model_copy(update={"identity": identity})
        data = safe.model_dump_json(indent=2).encode("utf-8")
        name = f"fall-{fresh.participant_id}-{words.today():%Y%m%d}.json"
        try:
            where = await deliver(session, data, name, "application/json")
        except OSError as error:
            return Outcome(False, _("Export nicht gespeichert: {error}").format(error=error))
        return Outcome(True, _("Fall exportiert: {path}").format(path=where), {"path": where})
