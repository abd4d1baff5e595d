"""The conversation engine: (contact, message, now) → replies and state changes.

The engine knows turns, flows and steps, never which flows exist: the layer above
(``flows.conversation``) hands it a :class:`Conversation` with the flows by name, the router that
decides who gets the message (the declared list of handlers) and what "the menu" is. So a flow
ends with a result the engine applies — ``END``, ``MENU`` (back to the main menu), ``PASS`` (the
message was not its answer: read it as if no flow were running) — and never imports the menu.

Flows are declared as data (:class:`Flow` with named :class:`Step` s) in their features' modules.
State lives in ``conversation_state`` (flow and step names, and the flow's data) so a conversation
survives restarts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from db.models import Contact, ConversationState, Event
from flows.core import keywords
from flows.core.localtime import local_today
from flows.core.messages import Incoming, Outgoing
from flows.core.settings import FlowSettings

#: Longer messages are answered with a request to write briefly (WhatsApp allows up to 4,096).
LONG_MESSAGE_CHARS = 1000


class _End:
    def __repr__(self) -> str:
        return "END"


class _Repeat:
    def __repr__(self) -> str:
        return "REPEAT"


class _Menu:
    def __repr__(self) -> str:
        return "MENU"


class _Pass:
    def __repr__(self) -> str:
        return "PASS"


#: Returned by a step: the flow is over.
END = _End()
#: Returned by a step: ask the same question again (after the step explained what was wrong).
REPEAT = _Repeat()
#: Returned by a step: the flow is over and the main menu is shown ("back to the menu").
MENU = _Menu()
#: Returned by a step: the flow is over and the message was not its answer; it is read as if no flow
#: had been running (a menu choice, a greeting, a question).
PASS = _Pass()


@dataclass(frozen=True)
class Jump:
    """Returned by a step: continue in another flow (at its first step unless ``step`` is given)."""

    flow: str
    step: str | None = None
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Wait:
    """Returned by a step: wait at ``step`` for the answer; the step already sent its question."""

    step: str


Next = str | _End | _Repeat | _Menu | _Pass | Jump | Wait


@dataclass(frozen=True)
class Conversation:
    """What the conversation layer hands the engine for every turn."""

    #: The flows by name (the names stored in ``conversation_state``).
    flows: Mapping[str, Flow]
    #: Offers the message to the handlers in their declared order.
    route: Callable[[Turn], None]
    #: The main menu, shown for ``MENU``.
    home: Callable[[Turn], None]
    #: A message with no flow running, for ``PASS``.
    idle: Callable[[Turn], None]


@dataclass
class Turn:
    """One incoming message being handled: what the steps read and where they write replies."""

    session: Session
    contact: Contact
    message: Incoming
    now: dt.datetime  # naive UTC
    settings: FlowSettings
    conversation: Conversation
    data: dict[str, Any] = field(default_factory=dict)
    replies: list[Outgoing] = field(default_factory=list)
    flow: str | None = None
    step: str | None = None
    #: Her conversation had expired (and was dropped) when this message came.
    expired: bool = False

    @property
    def text(self) -> str:
        return self.message.text.strip()

    @cached_property
    def keyword(self) -> str | None:
        """The global keyword this message is (``flows.core.keywords``), or None."""
        return keywords.detect(self.text)

    @property
    def timezone(self) -> ZoneInfo:
        posyandu = self.contact.posyandu
        return ZoneInfo(posyandu.timezone if posyandu and posyandu.timezone else self.settings.timezone)

    @property
    def today(self) -> dt.date:
        """The contact's local date."""
        return local_today(self.now, self.timezone)

    def say(self, body: str) -> None:
        self.replies.append(Outgoing(body=body))

    def tell(self, phone: str, body: str, tag: str) -> None:
        """A message to somebody else (e.g. the bidan), keyed by ``tag`` for idempotency."""
        self.replies.append(Outgoing(body=body, to_phone=phone, tag=tag))

    def record(self, kind: str, **details: Any) -> None:
        """Append to the event log."""
        self.session.add(
            Event(
                at=self.now,
                actor_id=self.contact.id,
                actor_role=self.contact.role,
                kind=kind,
                details=details,
            )
        )


@dataclass(frozen=True)
class Step:
    ask: Callable[[Turn], None]
    answer: Callable[[Turn], Next]


@dataclass(frozen=True)
class Flow:
    name: str
    first: str
    steps: Mapping[str, Step]
    #: Called when the flow starts, before the first step is asked (e.g. to fill ``turn.data``).
    on_start: Callable[[Turn], None] | None = None


def start_flow(turn: Turn, name: str, step: str | None = None, data: Mapping[str, Any] | None = None) -> None:
    flow = turn.conversation.flows[name]
    turn.flow, turn.step = name, step or flow.first
    turn.data = dict(data or {})
    if flow.on_start and step is None:
        flow.on_start(turn)
    flow.steps[turn.step].ask(turn)


def end_flow(turn: Turn) -> None:
    turn.flow, turn.step, turn.data = None, None, {}


def ask_again(turn: Turn) -> None:
    """Repeat the current question (after an interruption such as ``BANTUAN``)."""
    if turn.flow and turn.step:
        turn.conversation.flows[turn.flow].steps[turn.step].ask(turn)


def follow(turn: Turn, result: Next) -> None:
    """Apply what a step returned."""
    if result is END:
        end_flow(turn)
    elif result is MENU:
        end_flow(turn)
        turn.conversation.home(turn)
    elif result is PASS:
        end_flow(turn)
        turn.conversation.idle(turn)
    elif result is REPEAT:
        ask_again(turn)
    elif isinstance(result, Jump):
        start_flow(turn, result.flow, result.step, result.data)
    elif isinstance(result, Wait):
        turn.step = result.step
    elif isinstance(result, str):
        assert turn.flow is not None
        turn.step = result
        turn.conversation.flows[turn.flow].steps[result].ask(turn)


def answer_current_step(turn: Turn) -> None:
    assert turn.flow and turn.step
    follow(turn, turn.conversation.flows[turn.flow].steps[turn.step].answer(turn))


# -- state ---------------------------------------------------------------------------------------


def _load_state(turn: Turn) -> bool:
    """Restore the contact's conversation; returns True when it had expired (and was dropped)."""
    state = turn.session.get(ConversationState, turn.contact.id)
    if state is None:
        return False
    if state.expires_at is not None and state.expires_at <= turn.now:
        turn.session.delete(state)
        turn.session.flush()
        return True
    flows = turn.conversation.flows
    if state.flow in flows and state.step in flows[state.flow].steps:
        turn.flow, turn.step, turn.data = state.flow, state.step, dict(state.data or {})
    return False


def _save_state(turn: Turn) -> None:
    if turn.contact.id is None:
        return
    state = turn.session.get(ConversationState, turn.contact.id)
    if turn.flow is None or turn.step is None:
        if state is not None:
            turn.session.delete(state)
        return
    expires = turn.now + dt.timedelta(minutes=turn.settings.conversation_ttl_minutes)
    if state is None:
        state = ConversationState(contact_id=turn.contact.id)
        turn.session.add(state)
    state.flow, state.step, state.data = turn.flow, turn.step, dict(turn.data)
    state.updated_at, state.expires_at = turn.now, expires


# -- the turn ------------------------------------------------------------------------------------


def handle(
    session: Session,
    contact: Contact,
    message: Incoming,
    *,
    now: dt.datetime,
    settings: FlowSettings,
    conversation: Conversation,
) -> list[Outgoing]:
    """Handle one message from ``contact``; returns the messages to send (the caller enqueues them)."""
    turn = Turn(
        session=session,
        contact=contact,
        message=message,
        now=now,
        settings=settings,
        conversation=conversation,
    )
    turn.expired = _load_state(turn)
    conversation.route(turn)
    if turn.contact.erased_at is None:
        _save_state(turn)
    return turn.replies
