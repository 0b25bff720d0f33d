"""What every case form shares: fields with their own error line, checks as the caseworker
types, a draft saved on every change and restored on reopening, and sending through the
form's command. A form sent while the service is down keeps its draft and says so.

A form is a `CaseForm` subclass: it composes its fields (`field_row`), names its draft
(`form_name`) and command (`COMMAND`), and answers `check()` with the errors per field and
a summary of what sending will do.

What the rules make of the input comes from the service, never from rules run here (domain.md
A.6): a form may `ask_service(values)` (a dry run, or the service's scoring) a moment after the
caseworker stops typing; `self.service` then holds the answer (`ServiceView`) for `check()` to
show, and the service's refusals stand under their fields.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, RadioSet, Static

from inge_tui.api.errors import ApiError, ServiceFailed, ServiceUnreachable
from inge_tui.api.models import Participant
from inge_tui.commands.base import REGISTRY, Outcome, Session
from inge_tui.drafts import Draft, DraftStore
from inge_tui.i18n import N_, _
from inge_tui.widgets.footer import Footer

DRAFT_DELAY = 0.4  # seconds of quiet before a draft is written


SERVICE_DELAY = 0.25  # seconds after the last key before the service is asked


@dataclass(frozen=True)
class ServiceView:
    """What the service made of the form's input: its answer (`data`), its refusals per field
    (`errors`), the rules it cites against it (`problems`, each with its citation), or why it
    could not be asked (`note`)."""

    data: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Check:
    """The result of checking a form: errors by field, what sending does, and rule problems."""

    errors: dict[str, str]
    summary: Content
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems


def field_row(label: str, name: str, widget: Widget, *, derived: bool = False) -> Vertical:
    """A label, the input, an optional derived value beside it, and its own error line."""
    widget.id = f"f-{name}"
    parts: list[Widget] = [Static(label, classes="label"), widget]
    if derived:
        parts.append(Static("", id=f"d-{name}", classes="derived"))
    return Vertical(
        Horizontal(*parts, classes="row"),
        Static("", id=f"e-{name}", classes="error"),
        classes="field",
    )


class ConfirmScreen(ModalScreen[bool]):
    """Says exactly what will happen; `y` or Enter does it, Esc does not."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 90%; max-width: 90; height: auto; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    ConfirmScreen .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j,enter", "confirm", N_("Ja"), id="confirm.yes"),
        Binding("n,escape", "cancel", N_("Nein"), id="confirm.no"),
    ]

    def __init__(self, title: str, text: Content | str) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.heading
            yield Static(self.text, id="confirm-text")
            yield Static(
                Content.from_markup(
                    "[b]y[/b]/[b]Enter[/b] $confirm · [b]Esc[/b] $cancel",
                    confirm=_("bestätigen"),
                    cancel=_("abbrechen"),
                ),
                classes="keys",
            )

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class CaseForm(Screen[bool]):
    """Base of the case forms; dismisses with True once the service accepted the form."""

    COMMAND: ClassVar[str]
    TITLE_TEXT: ClassVar[str]  # a message id (N_), shown through _
    AUTO_FOCUS = "Input, RadioSet"
    DEFAULT_CSS = """
    CaseForm #form-head { height: auto; padding: 0 1; background: $panel; }
    CaseForm #form { height: 1fr; padding: 0 1; }
    CaseForm .field { height: auto; }
    CaseForm .row { height: auto; }
    CaseForm .label { width: 16; padding-top: 0; }
    CaseForm Input { width: 28; }
    CaseForm Input.wide { width: 1fr; }
    CaseForm .derived { width: 1fr; padding-left: 2; }
    CaseForm .error { color: $error; height: auto; padding-left: 16; }
    CaseForm .error.-empty { display: none; }
    CaseForm #summary { height: auto; margin-top: 1; border-left: thick $accent; padding-left: 1; }
    CaseForm #problems { height: auto; color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "submit", N_("Erfassen"), id="form.submit"),
        Binding("escape", "back", N_("Zurück (Entwurf bleibt)"), id="form.back"),
        # Priority: the focus moves before the keys after it are routed. Otherwise keys that
        # arrive in one read (a fast typist over SSH, tmux send-keys) land in the field the
        # tab left, because that field sees the tab first and it only then bubbles up.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    @dataclass
    class DraftLoaded(Message):
        draft: Draft

    @dataclass
    class Sent(Message):
        outcome: Outcome

    def __init__(self, session: Session, *, drafts: DraftStore | None = None) -> None:
        super().__init__()
        assert session.participant is not None, "a case form needs an open case"
        self.session = session
        self.participant: Participant = session.participant
        self.drafts = drafts or DraftStore.default()
        self._timer: Timer | None = None
        self._restoring = False
        self.sending = False
        self.touched: set[str] = set()  # errors show once a field was edited, or on sending
        self._baseline: dict[str, Any] = {}
        self.show_all_errors = False
        self.service = ServiceView()
        self._service_timer: Timer | None = None
        self._asked: dict[str, Any] | None = None  # the values the service answered for

    # ---- subclass hooks -------------------------------------------------------------------

    @property
    def form_name(self) -> str:
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def check(self, values: dict[str, Any]) -> Check:
        raise NotImplementedError

    def command_args(self, values: dict[str, Any]) -> dict[str, Any]:
        return values

    async def ask_service(self, values: dict[str, Any]) -> Any:
        """The service's answer for these values (a dry run); None: nothing to ask yet."""
        return None

    def confirmation(self, values: dict[str, Any]) -> Content | None:
        """Text of a confirmation before sending; None sends straight away."""
        return None

    def head(self) -> Content:
        p = self.participant
        return Content.from_markup(
            "[b]$title[/b] · $name ($pid)",
            title=_(self.TITLE_TEXT),
            name=f"{p.surname}, {p.given_name}",
            pid=p.participant_id,
        )

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.head(), id="form-head")
        with VerticalScroll(id="form", can_focus=False):
            yield from self.compose_fields()
            yield Static("", id="summary")
            yield Static("", id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _(self.TITLE_TEXT)
        self.sub_title = self.participant.participant_id
        self._baseline = self.values()  # what the form opens with is not an edit
        self.refresh_check()
        self._schedule_service()
        self.load_draft()

    # ---- values and checks ----------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for widget in self.query("#form *"):
            if not widget.id or not widget.id.startswith("f-"):
                continue
            name = widget.id[2:]
            if isinstance(widget, Input | Checkbox):
                out[name] = widget.value
            elif isinstance(widget, RadioSet):
                pressed = widget.pressed_button
                out[name] = pressed.id if pressed is not None else ""
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            try:
                widget = self.query_one(f"#f-{name}")
            except Exception:
                continue
            if isinstance(widget, Input):
                widget.value = str(value)
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, RadioSet):
                for button in widget.query("RadioButton"):
                    if button.id == value:
                        button.value = True  # type: ignore[attr-defined]

    def answered(self, values: dict[str, Any]) -> ServiceView | None:
        """The service's answer to exactly these values, or None while it is being asked."""
        return self.service if self._asked == values else None

    def refresh_check(self) -> Check:
        values = self.values()
        result = self.check(values)
        answer = self.answered(values)
        if answer is not None:  # the service's refusals count too
            result = Check(
                {**answer.errors, **result.errors},
                result.summary,
                result.problems + [p for p in answer.problems if p not in result.problems],
            )
        for error in self.query(".error"):
            name = (error.id or "")[2:]
            shown = self.show_all_errors or name in self.touched
            text = result.errors.get(name, "") if shown else ""
            assert isinstance(error, Static)
            error.update(text)
            error.set_class(not text, "-empty")
        self.query_one("#summary", Static).update(result.summary)
        problems = [f"✖ {p}" for p in result.problems]
        if self.service.note:
            problems.append(self.service.note)
        self.query_one("#problems", Static).update("\n".join(problems))
        return result

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def _changed(self, event: Message) -> None:
        control = getattr(event, "control", None)
        values = self.values()
        if control is not None and control.id and control.id.startswith("f-"):
            name = control.id[2:]
            if values.get(name) != self._baseline.get(name):  # not the value it opened with
                self.touched.add(name)
        self.refresh_check()
        self._schedule_service()
        if not self._restoring and values != self._baseline:
            self._schedule_draft()

    # ---- asking the service ---------------------------------------------------------------

    def _schedule_service(self) -> None:
        if self._service_timer is not None:
            self._service_timer.stop()
        self._service_timer = self.set_timer(SERVICE_DELAY, self._ask_now)

    def _ask_now(self) -> None:
        self._service_timer = None
        self.run_worker(
            self._ask(self.values()), group="form-service", exclusive=True, exit_on_error=False
        )

    async def _ask(self, values: dict[str, Any]) -> None:
        try:
            data = await self.ask_service(values)
            view = ServiceView(data=data)
        except (ServiceUnreachable, ServiceFailed):
            view = ServiceView(note=_("Dienst nicht erreichbar: geprüft wird beim Senden."))
        except ApiError as error:
            if error.reasons:  # the rules forbid it: the reasons say why, with their citations
                problems = [f"{r.text} ({r.citation})" for r in error.reasons]
                view = ServiceView(problems=problems)
            else:
                fields = {f.field.split(".")[-1]: f.message for f in error.fields}
                view = ServiceView(errors=fields, note="" if fields else error.message)
        if values != self.values():
            return  # typed on meanwhile: the next answer is on its way
        self.service, self._asked = view, values
        self.refresh_check()

    # ---- drafts ---------------------------------------------------------------------------

    @work(thread=True, group="draft-load", exit_on_error=False)
    def load_draft(self) -> None:
        draft = self.drafts.load(self.participant.participant_id, self.form_name)
        if draft is not None:
            self.post_message(self.DraftLoaded(draft))

    @on(DraftLoaded)
    def _draft_loaded(self, message: DraftLoaded) -> None:
        if self.touched:  # the caseworker already typed: what is on screen wins
            return
        self._restoring = True
        try:
            self.set_values(message.draft.fields)
        finally:
            self.call_after_refresh(self._restored)
        when = message.draft.saved_at.astimezone()
        said = _("Entwurf vom {when} wiederhergestellt.").format(when=f"{when:%d.%m.%Y %H:%M}")
        self.notify(said, markup=False)

    def _restored(self) -> None:
        self._restoring = False
        self.refresh_check()

    def _schedule_draft(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        self._timer = None
        write = partial(
            self.drafts.save, self.participant.participant_id, self.form_name, self.values()
        )
        self.run_worker(write, thread=True, group="draft-save", exit_on_error=False)

    async def flush_draft(self) -> None:
        """Write the draft now (before sending, before leaving)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        write = partial(
            self.drafts.save, self.participant.participant_id, self.form_name, self.values()
        )
        await self.run_worker(write, thread=True, group="draft-save").wait()

    # ---- sending --------------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self._service_timer is not None:
            self._service_timer.stop()
        # Quitting the app mid-typing: write the pending draft now; no worker outlives us.
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            with contextlib.suppress(OSError):
                self.drafts.save(self.participant.participant_id, self.form_name, self.values())

    async def action_back(self) -> None:
        if self._timer is not None:
            await self.flush_draft()
        self.dismiss(False)

    @work(group="form-send", exit_on_error=False)
    async def action_submit(self) -> None:
        if self.sending:
            self.notify(_("Wird schon gesendet …"), markup=False)
            return
        self.sending = True
        try:
            outcome = await self._submit()
        finally:
            self.sending = False
        if outcome is not None:
            self.post_message(self.Sent(outcome))

    async def _submit(self) -> Outcome | None:
        """Check, keep the draft, confirm if the form asks to, send; None when not sent."""
        self.show_all_errors = True
        result = self.refresh_check()
        if not result.ok:
            said = _("Bitte die markierten Angaben prüfen.")
            self.notify(said, severity="warning", markup=False)
            self._focus_first_error(result)
            return None
        values = self.values()
        await self.flush_draft()
        text = self.confirmation(values)
        if text is not None and not await self.app.push_screen_wait(
            ConfirmScreen(_(self.TITLE_TEXT), text)
        ):
            return None
        return await REGISTRY[self.COMMAND].run(self.session, **self.command_args(values))

    @on(Sent)
    async def _sent(self, message: Sent) -> None:
        outcome = message.outcome
        if outcome.ok:
            drop = partial(self.drafts.delete, self.participant.participant_id, self.form_name)
            await self.run_worker(drop, thread=True, group="draft-save").wait()
            self.app.notify(outcome.message, markup=False)
            self.dismiss(True)
            return
        fields = outcome.data.get("fields") or []
        for item in fields:
            name = str(item.get("field", "")).split(".")[-1]
            try:
                error = self.query_one(f"#e-{name}", Static)
            except Exception:
                continue
            error.update(str(item.get("message", "")))
            error.remove_class("-empty")
        severity = "warning" if outcome.data.get("unreachable") else "error"
        self.notify(outcome.message, severity=severity, timeout=15, markup=False)

    def _focus_first_error(self, result: Check) -> None:
        for name in result.errors:
            try:
                self.query_one(f"#f-{name}").focus()
            except Exception:
                continue
            return
