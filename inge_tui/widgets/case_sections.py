"""The sections of the participant detail: a focusable block with a numbered heading, and the
text of each section (person, course and funding, assessment, blockers, documents,
applications, history). Pure rendering of what the service said; nothing is derived here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inge_tui.api.models import (
    DataRequest,
    Participant,
    PostboxEntry,
    RefundApplication,
    RepetitionApplication,
)
from inge_tui.api.words import (
    COURSE_NAMES,
    DOCUMENT_NAMES,
    DOCUMENT_STATUS_NAMES,
    ID_TYPE_NAMES,
    LETTER_NAMES,
    SUPPLIER_NAMES,
    audit_line,
    blocker_line,
    date_de,
    euro_cents,
    shown_number,
)

STATUS_NAMES = {"offen": "offen", "in_bearbeitung": "in Bearbeitung", "erledigt": "erledigt"}
APPLICATION_STATUS = {"offen": "offen", "genehmigt": "bewilligt", "abgelehnt": "abgelehnt"}
KIND_NAMES = {
    "abschluss": "Abschluss",
    "wiederholung": "Wiederholungsantrag",
    "erstattung": "Erstattungsantrag",
}
REFUND_STATUS = {"offen": "offen", "bewilligt": "bewilligt", "abgelehnt": "abgelehnt"}
WITHDRAWAL_STATUS = {"offen": "offen", "bestaetigt": "freigegeben", "abgelehnt": "abgelehnt"}
NEXT_STEPS = {
    "ausstellen": "ausstellen",
    "warten": "warten (Blocker)",
    "ruecknahme_vorschlagen": "Rücknahme des Zertifikats vorschlagen",
    "ruecknahme_freigeben": "Rücknahme freigeben (Leitung)",
    "keiner": "keiner: das gültige Dokument gibt die Ergebnisse wieder",
}


class CaseSection(Vertical, can_focus=True):
    """A numbered section; focus it with its number key, Tab moves on."""

    DEFAULT_CSS = """
    CaseSection {
        height: auto;
        padding: 0 0 1 1;
        border-left: blank;
    }
    CaseSection:focus { border-left: thick $accent; background: $boost; }
    CaseSection > .section-title { text-style: bold; color: $text-accent; }
    CaseSection > .section-body { height: auto; }
    """

    def __init__(self, number: int, title: str, *, id: str, body: Widget | None = None) -> None:
        super().__init__(id=id)
        self.number = number
        self.title = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(f"{self.number}  {self.title}", classes="section-title")
        yield self.body if self.body is not None else Static("…", classes="section-body")

    def show(self, content: Content | str) -> None:
        self.query_one(".section-body", Static).update(content)


def _rows(rows: list[tuple[str, Content | str]], width: int = 14) -> Content:
    return Content("\n").join(
        Content.assemble((label.ljust(width), "dim"), value) for label, value in rows
    )


def heading_content(participant: Participant, entry: PostboxEntry | None) -> Content:
    """`Mustermann, Erika · geb. 12.03.1990 · P-000123` and the entry's state."""
    p = participant
    first = Content.from_markup(
        "[b]$name[/b] · geb. $birth · $pid · Regionalstelle $office",
        name=f"{p.surname}, {p.given_name}",
        birth=date_de(p.birth_date),
        pid=p.participant_id,
        office=p.office,
    )
    if entry is None:
        return first
    state = f"{KIND_NAMES.get(entry.kind, entry.kind)} · {STATUS_NAMES.get(entry.status, '')}"
    if entry.claimed_by:
        holder = "Ihnen" if entry.claimed_by_me else entry.claimed_by
        state += f" · übernommen von {holder}"
    return Content("\n").join([first, Content.styled(state, "dim")])


def identity_content(participant: Participant, *, revealed: str | None = None) -> Content:
    """`revealed` is the full ID number from the audited reveal answer, None while masked."""
    identity = participant.identity
    has_number = bool(revealed or identity.document_number_masked)
    shown = shown_number(identity, revealed)
    hint = " (Taste r: verbergen)" if revealed else " (Taste r: anzeigen)"
    address = identity.address
    rows: list[tuple[str, Content | str]] = [
        ("Name", f"{participant.surname}, {participant.given_name}"),
        ("Geburtsdatum", date_de(participant.birth_date)),
        ("Ausweis", ID_TYPE_NAMES.get(identity.document_type or "", "[fehlt]")),
        (
            "Ausweisnummer",
            Content.assemble(shown, (hint if has_number else "", "dim")),
        ),
        (
            "Anschrift",
            f"{address.street}, {address.postal_code} {address.city}" if address else "[fehlt]",
        ),
    ]
    return _rows(rows)


def course_content(participant: Participant) -> Content:
    p = participant
    funding = p.assessment.funding
    rows: list[tuple[str, Content | str]] = [
        ("Kursart", COURSE_NAMES.get(p.course_type, p.course_type)),
        ("Stunden", f"{p.hours_used} von {p.contingent_hours} UE genutzt"),
        *(
            ("  gemeldet", f"{r.hours_used} UE zum {date_de(r.as_of)}")
            for r in p.hours_reports[-3:]
        ),
        ("Selbstzahler", "ja" if p.self_payer else "nein"),
        ("2. DTZ gefördert", "möglich" if funding.second_funded_dtz_possible else "nicht möglich"),
        ("Geförderter LiD", "genutzt" if funding.funded_lid_used else "noch nicht genutzt"),
    ]
    if p.entitlement_date:
        rows.append(("Berechtigung", date_de(p.entitlement_date)))
    lines = [_rows(rows, width=17)]
    lines.extend(
        Content.from_markup(
            "[dim]$rule[/] $text [dim]($cite)[/]", rule=r.rule_id, text=r.text, cite=r.citation
        )
        for r in funding.reasons
    )
    return Content("\n").join(lines)


def assessment_content(participant: Participant) -> Content:
    a = participant.assessment
    document = DOCUMENT_NAMES.get(a.document, "keines") if a.document else "noch keines"
    lines = [
        Content.from_markup(
            "Dokument: [b]$doc[/b] · Regeln $rules", doc=document, rules=a.rules_version
        ),
        Content.from_markup(
            "Nächster Schritt: [b]$step[/b]", step=NEXT_STEPS.get(a.next_step, a.next_step)
        ),
    ]
    lines.extend(
        Content.from_markup(
            "[dim]$rule[/] $text [dim]($cite)[/]", rule=r.rule_id, text=r.text, cite=r.citation
        )
        for r in a.reasons
    )
    return Content("\n").join(lines)


def blockers_content(participant: Participant) -> Content:
    blockers = participant.assessment.blockers
    if not blockers:
        return Content.from_markup("[$success]Keine Blocker[/]: alle Angaben liegen vor.")
    asked = {r.item: r for r in participant.data_requests if r.status == "offen"}
    lines = []
    for b in blockers:
        who = SUPPLIER_NAMES.get(b.supplier, b.supplier)
        lines.append(
            Content.from_markup(
                "[b $error]✖[/] $short\n   [dim]$rule · liefern muss: $who · $text[/]",
                short=blocker_line(b),
                rule=b.rule_id,
                who=who,
                text=b.text,
            )
        )
        request = asked.get(b.code)
        if request is not None:
            lines.append(request_line(request))
    return Content("\n").join(lines)


def request_line(request: DataRequest) -> Content:
    """A data request under its blocker: asked when and of whom, the deadline, reminders; an
    overdue one says so in words (and in colour)."""
    who = request.provider or "beim Kursträger"
    text = f"   ↳ angefordert am {request.requested_on:%d.%m.%Y} bei {who}, "
    if request.overdue:
        text += f"überfällig seit {request.due_on:%d.%m.%Y}"
    else:
        text += f"Frist {request.due_on:%d.%m.%Y}"
    if request.reminders:
        last = request.reminded_at.astimezone() if request.reminded_at else None
        text += f" · {request.reminders}× erinnert" + (f", zuletzt {last:%d.%m.%Y}" if last else "")
    if request.note:
        text += f" · „{request.note}“"
    return Content.styled(text, "$error" if request.overdue else "$warning")


def certificates_content(participant: Participant) -> Content:
    """Every document on file with where it stands (in force, superseded, withdrawn,
    reversed; posted or not), its copies and letters, and the decision record of the one in
    force: the rules' reasons, which the participant's document does not print."""
    if not participant.certificates:
        return Content.styled("Noch kein Dokument ausgestellt.", "dim")
    lines = []
    for c in participant.certificates:
        status = DOCUMENT_STATUS_NAMES.get(c.status, c.status)
        if c.superseded_by:
            status += f" durch {c.superseded_by}"
        posted = (
            f"versandt {date_de(c.dispatched_at.date())}" if c.dispatched_at else "nicht versandt"
        )
        lines.append(
            Content.from_markup(
                "$number · $kind · $date · $who · [b]$status[/b] · $posted",
                number=c.certificate_id,
                kind=DOCUMENT_NAMES.get(c.kind, c.kind),
                date=date_de(c.issued_on),
                who=c.issued_by,
                status=status,
                posted=posted,
            )
        )
        if c.reversal_reason:
            lines.append(
                Content.styled(f"   Storniert von {c.reversed_by}: {c.reversal_reason}", "dim")
            )
        for w in c.withdrawals:
            verdict = WITHDRAWAL_STATUS.get(w.status, w.status)
            decided = f", {verdict} von {w.decided_by}" if w.decided_by else ", wartet auf Freigabe"
            lines.append(
                Content.styled(
                    f"   Rücknahme vorgeschlagen von {w.proposed_by}{decided}: {w.reason}", "dim"
                )
            )
        for letter in c.letters:
            sent = (
                f"versandt {date_de(letter.dispatched_at.date())}"
                if letter.dispatched_at
                else "nicht versandt"
            )
            lines.append(
                Content.styled(
                    f"   {LETTER_NAMES.get(letter.kind, letter.kind)} {letter.letter_id} vom"
                    f" {date_de(letter.issued_on)} ({letter.issued_by}, {sent})"
                    + (f": {letter.reason}" if letter.kind == "zweitschrift" else ""),
                    "dim",
                )
            )
        if c.status == "gueltig" and c.record:
            lines.append(Content.from_markup("   [b]Aktenvermerk[/b] (nicht auf dem Dokument):"))
            lines.extend(Content.styled(f"   · {r.text} ({r.citation})", "dim") for r in c.record)
    return Content("\n").join(lines)


def application_banner(application: RepetitionApplication, hint: Content) -> Content:
    """The state line of a `wiederholung` entry: which application, what the rules say, and
    `hint`: the key that decides it, or why it cannot be decided here."""
    a = application.assessment
    verdict = (
        "[$warning]Verzicht vorgeschlagen[/]"
        if application.waiver_proposal is not None
        else "[$warning]keine Bewertung[/]"
        if a is None
        else "[$success]bewilligungsfähig[/]"
        if a.eligible
        else "[$warning]nur mit Verzicht bewilligungsfähig[/]"
        if a.eligible_with_waiver
        else "[$error]nicht bewilligungsfähig[/]"
    )
    line = Content.from_markup(
        f"[b]Wiederholungsantrag $id[/b] vom $date: {verdict} · ",
        id=str(application.application_id),
        date=date_de(application.received_on),
    )
    return line + hint


def refund_banner(refund: RefundApplication, hint: Content) -> Content:
    """The state line of an `erstattung` entry: the application, what R16 allows and `hint`
    (the key that decides it, or why not); once decided, the decision and its Bescheid."""
    a = refund.assessment
    if refund.status != "offen":
        decided = (
            f"bewilligt: {euro_cents(refund.amount_cents)}"
            if refund.status == "bewilligt"
            else "abgelehnt"
        )
        return Content.assemble(
            (f"Erstattungsantrag {refund.refund_id}", "bold"),
            f" vom {date_de(refund.received_on)}: ",
            (f"✔ entschieden: {decided}", "$success"),
            f" · Bescheid {refund.letter_id} ({refund.decided_by})",
        )
    if a is None:
        verdict = Content.styled("keine Bewertung", "$warning")
    elif a.eligible:
        verdict = Content.styled(f"erstattungsfähig: {euro_cents(a.amount_cents)}", "$success")
    else:
        unmet = sum(1 for c in a.conditions if c.required and not c.met)
        verdict = Content.styled(
            f"nicht erstattungsfähig ({unmet} Voraussetzung{'en' if unmet > 1 else ''}"
            " nicht erfüllt)",
            "$error",
        )
    line = Content.assemble(
        (f"Erstattungsantrag {refund.refund_id}", "bold"),
        f" vom {date_de(refund.received_on)}: ",
        verdict,
        " · ",
    )
    return line + hint


def refund_lines(refund: RefundApplication) -> list[Content]:
    """An application, its decision or what R16 says about each condition (✔/✖ and words)."""
    paid = euro_cents(refund.contribution_paid_cents)
    line = (
        f"Erstattungsantrag {refund.refund_id} vom {date_de(refund.received_on)}: gezahlt {paid}"
        f" · {REFUND_STATUS.get(refund.status, refund.status)}"
    )
    if refund.status == "bewilligt":
        line += f" {euro_cents(refund.amount_cents)} ({refund.decided_by})"
    elif refund.status == "abgelehnt":
        line += f" ({refund.decided_by}): {refund.decision_reason}"
    if refund.letter_id:
        line += f" · Bescheid {refund.letter_id}"
    lines = [
        Content(line),
        Content.styled(f"   Konto {refund.account_holder} · IBAN {refund.iban_masked}", "dim"),
    ]
    a = refund.assessment
    if a is not None and refund.status == "offen":
        for c in a.conditions:
            mark, style = ("✔", "$success") if c.met else ("✖", "$error")
            if not c.required:
                mark, style = "·", "dim"
            lines.append(
                Content.assemble("   ", (mark, style), f" {c.text} ", (f"({c.citation})", "dim"))
            )
        amount = (
            f"erstattungsfähig: {euro_cents(a.amount_cents)} (Taste R)"
            if a.eligible
            else "nicht erstattungsfähig: nur Ablehnung mit Begründung (Taste R)"
        )
        lines.append(Content.assemble("   → ", (amount, "bold")))
    return lines


def applications_content(participant: Participant) -> Content:
    if not participant.applications and not participant.refunds:
        return Content.styled("Keine Anträge.", "dim")
    lines: list[Content] = []
    for refund in participant.refunds:
        lines.extend(refund_lines(refund))
    for a in participant.applications:
        status = APPLICATION_STATUS.get(a.status, a.status)
        line = (
            f"Antrag {a.application_id} vom {date_de(a.received_on)}: {a.requested_hours} UE "
            f"beantragt · {status}"
        )
        if a.decided_hours is not None:
            line += f" ({a.decided_hours} UE)"
        if a.waiver_confirmed_by:
            line += f" · mit Verzicht (DTZ), freigegeben von {a.waiver_confirmed_by}"
        proposal = a.waiver_proposal if a.status == "offen" else None
        if proposal is not None:
            line += (
                f" · Verzicht vorgeschlagen von {proposal.proposed_by} am"
                f" {date_de(proposal.proposed_at)} ({proposal.hours} UE, „{proposal.reason}“):"
                " wartet auf die Freigabe durch die Leitung (Tasten G freigeben, A ablehnen)"
            )
        elif a.assessment is not None and a.status == "offen":
            verdict = (
                "wartet (Voraussetzung noch nicht erfüllt)"
                if a.assessment.waiting
                else "bewilligungsfähig"
                if a.assessment.eligible
                else "nur mit Verzicht"
                if a.assessment.eligible_with_waiver
                else "nicht bewilligungsfähig"
            )
            line += f" · {verdict} (Taste w)"
        lines.append(Content(line))
    return Content("\n").join(lines)


def audit_content(participant: Participant, limit: int = 20) -> Content:
    if not participant.audit:
        return Content.styled("Kein Verlauf.", "dim")
    return Content("\n").join(Content(audit_line(e)) for e in participant.audit[:limit])
