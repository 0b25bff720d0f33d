"""The participant detail: both results, person and ID (masked until revealed), course and
funding, the assessment with its reasons, blockers, documents, applications and history.

Every key runs a command of `inge_tui.commands.case` (one path for key, palette and script);
this screen is the front end those commands ask for a preview and hand files to (`CaseUi`).
After a document is issued the screen closes and the app opens the next entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Participant
from inge_tui.api.words import DOCUMENT_NAMES, audit_line
from inge_tui.commands.base import REGISTRY, Outcome, Session
from inge_tui.commands.case import open_applications
from inge_tui.drafts import DraftStore, draft_words
from inge_tui.i18n import N_, _, pgettext
from inge_tui.screens.issue import CaseScreenUi, conflict_lines, open_next
from inge_tui.widgets import case_sections as sections
from inge_tui.widgets.command_keys import command_binding
from inge_tui.widgets.footer import Footer
from inge_tui.widgets.outcome_line import OutcomeLine
from inge_tui.widgets.result_cards import DtzCard, LidCard
from inge_tui.widgets.text_modal import TextModal

# (id, title, short name for the navigation line); titles are message ids, shown through _,
# the short names are translated by `nav_names`
SECTIONS = (
    ("results", N_("Ergebnisse"), "Ergebnis"),
    ("person", N_("Person und Ausweis"), "Person"),
    ("course", N_("Kurs und Förderung"), "Kurs"),
    ("assessment", N_("Bewertung und Gründe"), "Gründe"),
    ("blockers", N_("Blocker"), "Blocker"),
    ("documents", N_("Dokumente"), "Dokumente"),
    ("applications", N_("Anträge (Wiederholung, Erstattung)"), "Anträge"),
    ("audit", N_("Verlauf"), "Verlauf"),
)


def nav_names() -> tuple[str, ...]:
    """The short names of SECTIONS as the navigation line says them. The line must fit 80
    columns in every language, so a short name may be shorter than its section's title."""
    # TRANSLATORS: the case screen's navigation line "1 Ergebnis 2 Person … 8 Verlauf" must fit
    # in 78 columns with all eight names: keep these short
    return (
        pgettext("case navigation", "Ergebnis"),
        pgettext("case navigation", "Person"),
        pgettext("case navigation", "Kurs"),
        pgettext("case navigation", "Gründe"),
        pgettext("case navigation", "Blocker"),
        pgettext("case navigation", "Dokumente"),
        pgettext("case navigation", "Anträge"),
        pgettext("case navigation", "Verlauf"),
    )


# action -> command id; the key and binding id come from the command
ACTION_COMMANDS = {
    "issue": "issue-document",
    "reveal": "reveal-identity",
    "repetition": "decide-repetition",
    "refund": "decide-refund",
    "paper_dtz": "capture-paper-dtz",
    "alt_b1": "record-alternative-b1",
    "export": "export",
}
# the withdrawal's steps (domain.md A.12) ask for a reason on the command line
# commands whose key opens the `:` line with the command typed in: they need a reason
PROMPTED_COMMANDS = (
    "propose-withdrawal",
    "confirm-withdrawal",
    "refuse-withdrawal",
    "confirm-waiver",
    "refuse-waiver",
    "reverse-document",
    "issue-copy",
    "request-data",
    "remind-data",
)
# message ids, shown through _
TITLE_409 = N_("Jemand anderes war schneller")
CONFLICT_TITLES = {
    "blocked": N_("Ausstellung blockiert"),
    "claimed": N_("Fall ist in Bearbeitung"),
    "not_ready": N_("Kein Dokument auszustellen"),
    "already_issued": N_("Schon ausgestellt"),
    "withdrawal_required": N_("Erst zurücknehmen"),
}
HINT_VERBS = {
    # TRANSLATORS: after a key, on the case's state line: "i preview"
    "issue": N_("Vorschau"),
    # TRANSLATORS: after a key, on the case's state line: "w decide"
    "repetition": N_("entscheiden"),
    "refund": N_("entscheiden"),
}


class ParticipantScreen(Screen[None]):
    """One case, everything a decision needs; keys 1–8 jump to the sections."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    DEFAULT_CSS = """
    ParticipantScreen #heading { height: auto; padding: 0 1; background: $panel; }
    ParticipantScreen #issue-state { height: auto; padding: 0 1; background: $panel; }
    ParticipantScreen #case { height: 1fr; }
    ParticipantScreen #cards { height: auto; }
    ParticipantScreen.-wide #cards { layout: horizontal; }
    ParticipantScreen.-wide #cards > * { width: 1fr; }
    ParticipantScreen #nav { color: $text-muted; padding: 0 1; background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            command_binding(command_id, action, show=action != "export")
            for action, command_id in ACTION_COMMANDS.items()
        ),
        *(command_binding(command_id, show=False, prompt=True) for command_id in PROMPTED_COMMANDS),
        Binding("f5,ctrl+r", "reload", N_("Neu laden"), id="case.reload", show=False),
        Binding("escape", "back", N_("Zurück"), id="case.back"),
        *(
            Binding(str(n), f"section({n})", title, id=f"case.section-{n}", show=False)
            for n, (_key, title, _short) in enumerate(SECTIONS, start=1)
        ),
    ]

    @dataclass
    class Loaded(Message):
        participant: Participant

    @dataclass
    class LoadFailed(Message):
        error: ApiError

    @dataclass
    class CommandDone(Message):
        command_id: str
        outcome: Outcome

    def __init__(
        self,
        session: Session,
        participant_id: str,
        entry_id: int | None = None,
        *,
        documents_dir: Path | None = None,
        drafts: DraftStore | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.participant_id = participant_id
        self.entry_id = entry_id
        self.documents_dir = documents_dir or session.documents_folder()
        self.drafts = drafts
        self.participant: Participant | None = None
        self.revealed: str | None = None  # the full ID number from the audited reveal answer
        self.busy = False  # issuing: the preview was confirmed, the answer is not back yet
        self.running: str | None = None  # the title of the case command in progress
        self.ui = CaseScreenUi(session.ui, self)

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Lade Fall {id} …").format(id=self.participant_id), id="heading")
        yield Static("", id="issue-state")
        yield Static(
            " ".join(f"{n} {short}" for n, short in enumerate(nav_names(), start=1)),
            id="nav",
        )
        with VerticalScroll(id="case"):
            cards = Vertical(DtzCard(id="dtz"), LidCard(id="lid"), id="cards")
            for number, (key, title, _short) in enumerate(SECTIONS, start=1):
                body = cards if key == "results" else None
                yield sections.CaseSection(number, _(title), id=f"sec-{key}", body=body)
        yield OutcomeLine()
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Fall {id}").format(id=self.participant_id)
        self.sub_title = _("Teilnehmerdetail")
        self.load()

    # ---- loading --------------------------------------------------------------------------

    @work(exclusive=True, group="case-load", exit_on_error=False)
    async def load(self) -> None:
        try:
            participant = await self.session.client.participant(self.participant_id)
        except ApiError as error:
            self.post_message(self.LoadFailed(error))
            return
        self.post_message(self.Loaded(participant))

    @work(exclusive=True, group="case-history", exit_on_error=False)
    async def load_history(self) -> None:
        """The history again, without a new view of the case (after a reveal, say)."""
        try:
            page = await self.session.client.audit(self.participant_id)
        except ApiError:
            return  # the history keeps the state of the last load; the next load brings it
        if self.participant is not None:
            self.post_message(
                self.Loaded(self.participant.model_copy(update={"audit": page.items}))
            )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if self.participant is None or self.participant.identity != message.participant.identity:
            self.revealed = None  # the revealed number belongs to the identity it came with
        self.participant = message.participant
        self.session.participant = message.participant
        entry = self.session.entry
        if entry is not None:  # the entry as the case carries it now (closed by a decision)
            fresh = (e for e in message.participant.postbox if e.entry_id == entry.entry_id)
            self.session.entry = next(fresh, entry)
        self.render_case()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        said = _("Fall konnte nicht geladen werden: {error} (F5 lädt neu)")
        text = said.format(error=message.error.message)
        self.query_one("#issue-state", Static).update(Content.styled(text, "$error"))
        self.notify(message.error.message, severity="error", markup=False)

    def render_case(self) -> None:
        p = self.participant
        if p is None:
            return
        entry = self._entry()
        heading = sections.heading_content(p, entry)
        drafts = (self.drafts or DraftStore.default()).of(p.participant_id)
        if drafts:
            now = datetime.now(UTC)
            said = "; ".join(draft_words(d, now) for d in drafts)
            heading = Content("\n").join(
                [heading, Content.styled(_("✎ Entwurf: {drafts}").format(drafts=said), "$warning")]
            )
        self.query_one("#heading", Static).update(heading)
        self.query_one("#issue-state", Static).update(self._issue_state())
        self.query_one(DtzCard).show(
            p.dtz, p.alternative_b1, self_payer=p.self_payer, others=p.dtz_attempts
        )
        self.query_one(LidCard).show(p.lid, others=p.lid_attempts)
        renderers = {
            "person": lambda: sections.identity_content(p, revealed=self.revealed),
            "course": lambda: sections.course_content(p),
            "assessment": lambda: sections.assessment_content(p),
            "blockers": lambda: sections.blockers_content(p),
            "documents": lambda: sections.certificates_content(p),
            "applications": lambda: sections.applications_content(p),
            "audit": lambda: sections.audit_content(p),
        }
        for key, render in renderers.items():
            self.query_one(f"#sec-{key}", sections.CaseSection).show(render())
        self.refresh_bindings()

    def _entry(self) -> Any:
        entry = self.session.entry
        if entry is not None and self.entry_id is not None and entry.entry_id != self.entry_id:
            return None
        return entry

    def _issue_state(self) -> Content:
        if self.busy:
            return Content.from_markup(
                "[b]$doing[/b] $wait", doing=_("Wird ausgestellt …"), wait=_("bitte warten")
            )
        p = self.participant
        assert p is not None
        entry = self._entry()
        if entry is not None and entry.kind == "wiederholung":
            pending = [a for a in open_applications(p) if a.application_id == entry.application_id]
            if pending:
                return sections.application_banner(pending[0], self._key_hint("repetition"))
        if entry is not None and entry.kind == "erstattung":
            refund = next((r for r in p.refunds if r.refund_id == entry.refund_id), None)
            if refund is not None:
                return sections.refund_banner(refund, self._key_hint("refund"))
        availability = REGISTRY["issue-document"].available(self._session())
        if availability.ok and p.assessment.document is not None:
            replaces = p.assessment.supersedes
            line = Content.from_markup(
                "[b $success]✔ $ready[/] [b]$doc[/b]$replaces · ",
                ready=_("Ausstellbar:"),
                doc=DOCUMENT_NAMES[p.assessment.document],
                replaces=_(" (ersetzt {number})").format(number=replaces) if replaces else "",
            )
            return line + self._key_hint("issue")
        if p.assessment.next_step == "keiner":
            return Content.from_markup("[b $success]✔[/] $why", why=availability.why)
        return Content.from_markup("[b $error]✖[/] $why", why=availability.why)

    def _key_hint(self, action: str) -> Content:
        """`w entscheiden` with the key as configured, or why the command is not possible."""
        availability = REGISTRY[ACTION_COMMANDS[action]].available(self._session())
        if not availability.ok:
            return Content(availability.why)
        keys = [
            self.app.get_key_display(replace(active.binding, key=key))
            for key, active in self.active_bindings.items()
            if active.binding.action == action
        ]
        key = keys[0] if keys else f":{ACTION_COMMANDS[action]}"  # remapped to nothing
        return Content.from_markup("[b]$key[/b] $verb", key=key, verb=_(HINT_VERBS[action]))

    # ---- commands -------------------------------------------------------------------------

    def _session(self) -> Session:
        """The session the case commands run on: this case, this screen as front end."""
        return replace(self.session, participant=self.participant, entry=self._entry(), ui=self.ui)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        command_id = ACTION_COMMANDS.get(action)
        if command_id is None:
            return True
        if self.participant is None or self.busy:
            return None
        ok = REGISTRY[command_id].available(self._session()).ok
        if ok:
            return True
        # issuing stays visible (greyed) with its reason; the others vanish when not applicable
        return None if action in ("issue", "reveal") else False

    def on_key(self, event: events.Key) -> None:
        """A key of a case command that cannot run here says why instead of doing nothing:
        greyed in the footer, or hidden (not for this case, or the case is someone else's)."""
        active = self.active_bindings.get(event.key)
        if active is not None and active.enabled:
            return
        # this screen's bindings with the [keymap] applied, hidden ones included
        own = next((b for node, b in self._binding_chain if node is self), None)
        for binding in own.key_to_bindings.get(event.key, []) if own is not None else ():
            command_id = ACTION_COMMANDS.get(binding.action)
            if command_id is not None and self.participant is not None:
                why = REGISTRY[command_id].available(self._session()).why
                self.notify(why or _("Gerade nicht möglich."), severity="warning", markup=False)
                event.stop()
                return

    def run_command(self, command_id: str, **kwargs: Any) -> None:
        """Run a case command in a worker; one at a time, never cancelling a running one."""
        if self.running is not None:
            said = _("Bitte warten: „{command}“ läuft noch.").format(command=_(self.running))
            self.notify(said, severity="warning", markup=False)
            return
        self.running = REGISTRY[command_id].title
        self._run(command_id, kwargs)

    @work(group="case-command", exit_on_error=False)
    async def _run(self, command_id: str, kwargs: dict[str, Any]) -> None:
        try:
            outcome = await REGISTRY[command_id].run(self._session(), **kwargs)
        except Exception as error:  # a bug, not the service: say so, keep the screen usable
            said = _("Unerwarteter Fehler ({kind}).").format(kind=type(error).__name__)
            outcome = Outcome(False, said)
        self.post_message(self.CommandDone(command_id, outcome))

    def issuing(self) -> None:
        """The caseworker confirmed the preview: the document is being issued."""
        self.busy = True
        self.render_case()

    def action_issue(self) -> None:
        self.run_command("issue-document")

    def action_reveal(self) -> None:
        if self.revealed:
            self.revealed = None
            self.render_case()
            return
        self.run_command("reveal-identity")

    def action_export(self) -> None:
        self.run_command("export")

    def action_repetition(self) -> None:
        from inge_tui.screens.repetition import RepetitionScreen

        if self.participant is None:
            return
        applications = open_applications(self.participant)
        wanted = self.session.entry.application_id if self.session.entry else None
        chosen = next((a for a in applications if a.application_id == wanted), applications[0])
        self.app.push_screen(
            RepetitionScreen(self._session(), chosen, drafts=self.drafts), self._form_closed
        )

    def action_refund(self) -> None:
        """The `:` line with `decide-refund ` typed in: `bewilligen` or `ablehnen GRUND`."""
        self.app.action_prompt("decide-refund")  # type: ignore[attr-defined]

    def action_paper_dtz(self) -> None:
        from inge_tui.screens.paper_dtz import PaperDtzScreen

        if self.participant is not None:
            self.app.push_screen(
                PaperDtzScreen(self._session(), drafts=self.drafts), self._form_closed
            )

    def action_alt_b1(self) -> None:
        from inge_tui.screens.alt_b1 import AltB1Screen

        if self.participant is not None:
            self.app.push_screen(
                AltB1Screen(self._session(), drafts=self.drafts), self._form_closed
            )

    def _form_closed(self, sent: bool | None) -> None:
        if sent:
            self.load()
        else:  # left with Esc: the heading names the draft the form kept
            self.render_case()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        if self.session.participant is self.participant:
            self.session.participant = None  # the Postkorb's commands must not act on it

    def action_section(self, number: int) -> None:
        key = SECTIONS[number - 1][0]
        section = self.query_one(f"#sec-{key}", sections.CaseSection)
        section.focus()
        self.query_one("#case", VerticalScroll).scroll_to_widget(section, top=True)

    # ---- outcomes -------------------------------------------------------------------------

    @on(CommandDone)
    def _command_done(self, message: CommandDone) -> None:
        self.running = None
        if self.busy:
            self.busy = False
            self.render_case()
        outcome = message.outcome
        if message.command_id == "reveal-identity" and outcome.ok:
            self.revealed = outcome.data.get("document_number")
            self.render_case()
            self.load_history()  # the reveal is in the audit: the history shows it
            return
        if message.command_id == "issue-document":
            self._issue_done(outcome)
            return
        self.notify(
            outcome.message, severity="information" if outcome.ok else "error", markup=False
        )

    def _issue_done(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.notify(outcome.message, title=_("Ausgestellt"), timeout=20, markup=False)
            open_next(self)
            return
        data = outcome.data
        if data.get("conflict"):
            self.show_conflict(outcome)
        elif "status" in data:  # the service refused or could not be reached
            self.notify(outcome.message, severity="error", timeout=15, markup=False)
        else:  # cancelled, or blocked before asking
            self.notify(outcome.message, severity="warning", markup=False)
            if data.get("blocked"):
                self.load()

    @work(group="case-conflict", exclusive=True, exit_on_error=False)
    async def show_conflict(self, outcome: Outcome) -> None:
        """Reload, then show the current state and what happened last (who did what)."""
        recent: list[str] = []
        try:
            fresh = await self.session.client.participant(self.participant_id)
        except ApiError:
            fresh = None
        if fresh is not None:
            self.post_message(self.Loaded(fresh))
            recent = [audit_line(e) for e in fresh.audit if e.action != "fall_angesehen"][:5]
        code = outcome.data.get("code")
        lines = conflict_lines(outcome.message, outcome.data.get("current"), recent)
        await self.app.push_screen_wait(
            TextModal(_(CONFLICT_TITLES.get(code, TITLE_409)), "\n".join(lines))
        )
