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
from inge_tui.i18n import N_, _, ngettext, spoken

# the words for the contract's values; message ids, shown through _
STATUS_NAMES = {
    "offen": N_("offen"),
    "in_bearbeitung": N_("in Bearbeitung"),
    "erledigt": N_("erledigt"),
}
APPLICATION_STATUS = {
    "offen": N_("offen"),
    "genehmigt": N_("bewilligt"),
    "abgelehnt": N_("abgelehnt"),
}
KIND_NAMES = {
    "abschluss": N_("Abschluss"),
    "wiederholung": N_("Wiederholungsantrag"),
    "erstattung": N_("Erstattungsantrag"),
}
REFUND_STATUS = {"offen": N_("offen"), "bewilligt": N_("bewilligt"), "abgelehnt": N_("abgelehnt")}
WITHDRAWAL_STATUS = {
    "offen": N_("offen"),
    "bestaetigt": N_("freigegeben"),
    "abgelehnt": N_("abgelehnt"),
}
NEXT_STEPS = {
    "ausstellen": N_("ausstellen"),
    "warten": N_("warten (Blocker)"),
    "ruecknahme_vorschlagen": N_("Rücknahme des Zertifikats vorschlagen"),
    "ruecknahme_freigeben": N_("Rücknahme freigeben (Leitung)"),
    "keiner": N_("keiner: das gültige Dokument gibt die Ergebnisse wieder"),
}


def _word(table: dict[str, str], value: str) -> str:
    """`value`'s word from `table` in the interface's language; the value itself if unknown."""
    word = table.get(value)
    return _(word) if word is not None else value


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
    """Labels (message ids, shown through _) in a column as wide as the widest needs."""
    labels = [_(label) for label, _value in rows]
    width = max(width, *(len(label) + 1 for label in labels))
    return Content("\n").join(
        Content.assemble((label.ljust(width), "dim"), value)
        for label, (_label, value) in zip(labels, rows, strict=True)
    )


def heading_content(participant: Participant, entry: PostboxEntry | None) -> Content:
    """`Mustermann, Erika · geb. 12.03.1990 · P-000123` and the entry's state."""
    p = participant
    first = Content.from_markup(
        "[b]$name[/b] · $born $birth · $pid · Regionalstelle $office",
        # TRANSLATORS: before the date of birth in the case's heading
        born=_("geb."),
        name=f"{p.surname}, {p.given_name}",
        birth=date_de(p.birth_date),
        pid=p.participant_id,
        office=p.office,
    )
    if entry is None:
        return first
    status = STATUS_NAMES.get(entry.status)
    state = f"{_word(KIND_NAMES, entry.kind)} · {_(status) if status else ''}"
    if entry.claimed_by:
        state += (
            _(" · übernommen von Ihnen")
            if entry.claimed_by_me
            else _(" · übernommen von {name}").format(name=entry.claimed_by)
        )
    return Content("\n").join([first, Content.styled(state, "dim")])


def identity_content(participant: Participant, *, revealed: str | None = None) -> Content:
    """`revealed` is the full ID number from the audited reveal answer, None while masked."""
    identity = participant.identity
    has_number = bool(revealed or identity.document_number_masked)
    shown = shown_number(identity, revealed)
    hint = _(" (Taste r: verbergen)") if revealed else _(" (Taste r: anzeigen)")
    address = identity.address
    rows: list[tuple[str, Content | str]] = [
        (N_("Name"), f"{participant.surname}, {participant.given_name}"),
        (N_("Geburtsdatum"), date_de(participant.birth_date)),
        (N_("Ausweis"), _(ID_TYPE_NAMES.get(identity.document_type or "", N_("[fehlt]")))),
        (
            N_("Ausweisnummer"),
            Content.assemble(shown, (hint if has_number else "", "dim")),
        ),
        (
            N_("Anschrift"),
            f"{address.street}, {address.postal_code} {address.city}" if address else _("[fehlt]"),
        ),
    ]
    return _rows(rows)


def course_content(participant: Participant) -> Content:
    p = participant
    funding = p.assessment.funding
    rows: list[tuple[str, Content | str]] = [
        (N_("Kursart"), spoken(COURSE_NAMES.get(p.course_type, p.course_type))),
        (
            N_("Stunden"),
            _("{used} von {contingent} UE genutzt").format(
                used=p.hours_used, contingent=p.contingent_hours
            ),
        ),
        *(
            (
                N_("  gemeldet"),
                _("{hours} UE zum {date}").format(hours=r.hours_used, date=date_de(r.as_of)),
            )
            for r in p.hours_reports[-3:]
        ),
        (N_("Selbstzahler"), _("ja") if p.self_payer else _("nein")),
        (
            N_("2. DTZ gefördert"),
            _("möglich") if funding.second_funded_dtz_possible else _("nicht möglich"),
        ),
        (
            N_("Geförderter LiD"),
            _("genutzt") if funding.funded_lid_used else _("noch nicht genutzt"),
        ),
    ]
    if p.entitlement_date:
        rows.append((N_("Berechtigung"), date_de(p.entitlement_date)))
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
    document = DOCUMENT_NAMES.get(a.document, _("keines")) if a.document else _("noch keines")
    lines = [
        Content.from_markup(
            "$label [b]$doc[/b] · $rules_label $rules",
            label=_("Dokument:"),
            doc=document,
            rules_label=_("Regeln"),
            rules=a.rules_version,
        ),
        Content.from_markup(
            "$label [b]$step[/b]",
            label=_("Nächster Schritt:"),
            step=_word(NEXT_STEPS, a.next_step),
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
        return Content.from_markup(
            "[$success]$none[/]: $all", none=_("Keine Blocker"), all=_("alle Angaben liegen vor.")
        )
    asked = {r.item: r for r in participant.data_requests if r.status == "offen"}
    lines = []
    for b in blockers:
        who = _word(SUPPLIER_NAMES, b.supplier)
        lines.append(
            Content.from_markup(
                "[b $error]✖[/] $short\n   [dim]$rule · $supplies $who · $text[/]",
                short=blocker_line(b),
                rule=b.rule_id,
                supplies=_("liefern muss:"),
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
    if request.provider:
        asked = _("   ↳ angefordert am {date} bei {provider}, ")
    else:
        asked = _("   ↳ angefordert am {date} beim Kursträger, ")
    text = asked.format(date=date_de(request.requested_on), provider=request.provider)
    if request.overdue:
        text += _("überfällig seit {date}").format(date=date_de(request.due_on))
    else:
        text += _("Frist {date}").format(date=date_de(request.due_on))
    if request.reminders:
        last = request.reminded_at.astimezone() if request.reminded_at else None
        text += _(" · {n}× erinnert").format(n=request.reminders)
        if last:
            text += _(", zuletzt {date}").format(date=date_de(last.date()))
    if request.note:
        text += f" · „{request.note}“"
    return Content.styled(text, "$error" if request.overdue else "$warning")


def certificates_content(participant: Participant) -> Content:
    """Every document on file with where it stands (in force, superseded, withdrawn,
    reversed; posted or not), its copies and letters, and the decision record of the one in
    force: the rules' reasons, which the participant's document does not print."""
    if not participant.certificates:
        return Content.styled(_("Noch kein Dokument ausgestellt."), "dim")
    lines = []
    for c in participant.certificates:
        status = _word(DOCUMENT_STATUS_NAMES, c.status)
        if c.superseded_by:
            status += _(" durch {number}").format(number=c.superseded_by)
        posted = (
            _("versandt {date}").format(date=date_de(c.dispatched_at.date()))
            if c.dispatched_at
            else _("nicht versandt")
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
                Content.styled(
                    _("   Storniert von {name}: {reason}").format(
                        name=c.reversed_by, reason=c.reversal_reason
                    ),
                    "dim",
                )
            )
        for w in c.withdrawals:
            verdict = _word(WITHDRAWAL_STATUS, w.status)
            decided = (
                _(", {verdict} von {name}").format(verdict=verdict, name=w.decided_by)
                if w.decided_by
                else _(", wartet auf Freigabe")
            )
            said = _("   Rücknahme vorgeschlagen von {name}{decided}: {reason}")
            lines.append(
                Content.styled(
                    said.format(name=w.proposed_by, decided=decided, reason=w.reason), "dim"
                )
            )
        for letter in c.letters:
            sent = (
                _("versandt {date}").format(date=date_de(letter.dispatched_at.date()))
                if letter.dispatched_at
                else _("nicht versandt")
            )
            said = _("   {letter} {number} vom {date} ({name}, {sent})").format(
                letter=LETTER_NAMES.get(letter.kind, letter.kind),
                number=letter.letter_id,
                date=date_de(letter.issued_on),
                name=letter.issued_by,
                sent=sent,
            )
            lines.append(
                Content.styled(
                    said + (f": {letter.reason}" if letter.kind == "zweitschrift" else ""), "dim"
                )
            )
        if c.status == "gueltig" and c.record:
            lines.append(
                Content.from_markup(
                    "   [b]$record[/b] $note",
                    record=_("Aktenvermerk"),
                    note=_("(nicht auf dem Dokument):"),
                )
            )
            lines.extend(Content.styled(f"   · {r.text} ({r.citation})", "dim") for r in c.record)
    return Content("\n").join(lines)


def application_banner(application: RepetitionApplication, hint: Content) -> Content:
    """The state line of a `wiederholung` entry: which application, what the rules say, and
    `hint`: the key that decides it, or why it cannot be decided here."""
    a = application.assessment
    verdict = (
        Content.styled(_("Verzicht vorgeschlagen"), "$warning")
        if application.waiver_proposal is not None
        else Content.styled(_("keine Bewertung"), "$warning")
        if a is None
        else Content.styled(_("bewilligungsfähig"), "$success")
        if a.eligible
        else Content.styled(_("nur mit Verzicht bewilligungsfähig"), "$warning")
        if a.eligible_with_waiver
        else Content.styled(_("nicht bewilligungsfähig"), "$error")
    )
    line = Content.assemble(
        (_("Wiederholungsantrag {id}").format(id=application.application_id), "bold"),
        _(" vom {date}: ").format(date=date_de(application.received_on)),
        verdict,
        " · ",
    )
    return line + hint


def refund_banner(refund: RefundApplication, hint: Content) -> Content:
    """The state line of an `erstattung` entry: the application, what R16 allows and `hint`
    (the key that decides it, or why not); once decided, the decision and its Bescheid."""
    a = refund.assessment
    if refund.status != "offen":
        decided = (
            _("bewilligt: {amount}").format(amount=euro_cents(refund.amount_cents))
            if refund.status == "bewilligt"
            else _("abgelehnt")
        )
        return Content.assemble(
            (_("Erstattungsantrag {id}").format(id=refund.refund_id), "bold"),
            _(" vom {date}: ").format(date=date_de(refund.received_on)),
            (_("✔ entschieden: {decision}").format(decision=decided), "$success"),
            _(" · Bescheid {number} ({name})").format(
                number=refund.letter_id, name=refund.decided_by
            ),
        )
    if a is None:
        verdict = Content.styled(_("keine Bewertung"), "$warning")
    elif a.eligible:
        verdict = Content.styled(
            _("erstattungsfähig: {amount}").format(amount=euro_cents(a.amount_cents)), "$success"
        )
    else:
        unmet = sum(1 for c in a.conditions if c.required and not c.met)
        verdict = Content.styled(
            ngettext(
                "nicht erstattungsfähig ({n} Voraussetzung nicht erfüllt)",
                "nicht erstattungsfähig ({n} Voraussetzungen nicht erfüllt)",
                max(unmet, 1),  # German says "0 Voraussetzung"
            ).format(n=unmet),
            "$error",
        )
    line = Content.assemble(
        (_("Erstattungsantrag {id}").format(id=refund.refund_id), "bold"),
        _(" vom {date}: ").format(date=date_de(refund.received_on)),
        verdict,
        " · ",
    )
    return line + hint


def refund_lines(refund: RefundApplication) -> list[Content]:
    """An application, its decision or what R16 says about each condition (✔/✖ and words)."""
    paid = euro_cents(refund.contribution_paid_cents)
    line = _("Erstattungsantrag {id} vom {date}: gezahlt {paid} · {status}").format(
        id=refund.refund_id,
        date=date_de(refund.received_on),
        paid=paid,
        status=_word(REFUND_STATUS, refund.status),
    )
    if refund.status == "bewilligt":
        line += f" {euro_cents(refund.amount_cents)} ({refund.decided_by})"
    elif refund.status == "abgelehnt":
        line += f" ({refund.decided_by}): {refund.decision_reason}"
    if refund.letter_id:
        line += _(" · Bescheid {number}").format(number=refund.letter_id)
    account = _("   Konto {holder} · IBAN {iban}").format(
        holder=refund.account_holder, iban=refund.iban_masked
    )
    lines = [Content(line), Content.styled(account, "dim")]
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
            _("erstattungsfähig: {amount} (Taste R)").format(amount=euro_cents(a.amount_cents))
            if a.eligible
            else _("nicht erstattungsfähig: nur Ablehnung mit Begründung (Taste R)")
        )
        lines.append(Content.assemble("   → ", (amount, "bold")))
    return lines


def applications_content(participant: Participant) -> Content:
    if not participant.applications and not participant.refunds:
        return Content.styled(_("Keine Anträge."), "dim")
    lines: list[Content] = []
    for refund in participant.refunds:
        lines.extend(refund_lines(refund))
    for a in participant.applications:
        line = _("Antrag {id} vom {date}: {hours} UE beantragt · {status}").format(
            id=a.application_id,
            date=date_de(a.received_on),
            hours=a.requested_hours,
            status=_word(APPLICATION_STATUS, a.status),
        )
        if a.decided_hours is not None:
            line += _(" ({hours} UE)").format(hours=a.decided_hours)
        if a.waiver_confirmed_by:
            line += _(" · mit Verzicht (DTZ), freigegeben von {name}").format(
                name=a.waiver_confirmed_by
            )
        proposal = a.waiver_proposal if a.status == "offen" else None
        if proposal is not None:
            line += _(
                " · Verzicht vorgeschlagen von {name} am {date} ({hours} UE, „{reason}“):"
                " wartet auf die Freigabe durch die Leitung (Tasten G freigeben, A ablehnen)"
            ).format(
                name=proposal.proposed_by,
                date=date_de(proposal.proposed_at),
                hours=proposal.hours,
                reason=proposal.reason,
            )
        elif a.assessment is not None and a.status == "offen":
            verdict = (
                _("wartet (Voraussetzung noch nicht erfüllt)")
                if a.assessment.waiting
                else _("bewilligungsfähig")
                if a.assessment.eligible
                else _("nur mit Verzicht")
                if a.assessment.eligible_with_waiver
                else _("nicht bewilligungsfähig")
            )
            line += _(" · {verdict} (Taste w)").format(verdict=verdict)
        lines.append(Content(line))
    return Content("\n").join(lines)


def audit_content(participant: Participant, limit: int = 20) -> Content:
    if not participant.audit:
        return Content.styled(_("Kein Verlauf."), "dim")
    return Content("\n").join(Content(audit_line(e)) for e in participant.audit[:limit])
