"""The tables of posyandu-bot.

Timestamps are stored as naive UTC (``utcnow()``) so they compare the same way on SQLite and
PostgreSQL; local dates (a child's birthday, a posyandu day) are plain ``Date`` columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT primary keys on PostgreSQL, INTEGER (rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

#: ``Index.info`` of an index built on PostgreSQL only (with ``.ddl_if(dialect="postgresql")``):
#: covering and partial indexes that SQLite's rowid lookups make needless there.
POSTGRESQL_ONLY = {"only_on": "postgresql"}


def utcnow() -> dt.datetime:
    """The current time as naive UTC, the form every timestamp column holds."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Role:
    IBU = "ibu"
    KADER = "kader"
    BIDAN = "bidan"
    ADMIN = "admin"
    ALL = (IBU, KADER, BIDAN, ADMIN)


class Posyandu(Base):
    __tablename__ = "posyandu"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    desa: Mapped[str | None] = mapped_column(String(120))
    kecamatan: Mapped[str | None] = mapped_column(String(120))
    kabupaten: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    #: Human-readable meeting rule, e.g. ``"2nd tuesday"`` or ``"day 15"`` (calendar logic lives in flows).
    meeting_day: Mapped[str | None] = mapped_column(String(60))
    #: Phone of the puskesmas or backup contact for emergencies nobody answers.
    backup_phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(back_populates="posyandu")


class Contact(Base):
    """Anyone who talks to the bot: a mother (ibu), a kader, a bidan or an admin."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: E.164, e.g. ``+6281234567890``; ``None`` once the data is erased.
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    role: Mapped[str] = mapped_column(String(10), default=Role.IBU)
    name: Mapped[str | None] = mapped_column(String(120))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    consent_given_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consent_refused_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consent_withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    opted_out_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    opt_out_reason: Mapped[str | None] = mapped_column(String(200))
    #: Start of WhatsApp's 24-hour customer-service window: free text is allowed until +24 h.
    last_inbound_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    registered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    posyandu: Mapped[Posyandu | None] = relationship(back_populates="contacts")
    children: Mapped[list[Child]] = relationship(
        back_populates="mother", cascade="all, delete-orphan", order_by="Child.date_of_birth"
    )
    pregnancies: Mapped[list[Pregnancy]] = relationship(
        back_populates="mother", cascade="all, delete-orphan", order_by="Pregnancy.id"
    )

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None

    @property
    def is_opted_out(self) -> bool:
        return self.opted_out_at is not None


class Child(Base):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[str] = mapped_column(String(1))  # "L" (laki-laki) or "P" (perempuan)
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    mother: Mapped[Contact] = relationship(back_populates="children")


def notifiable_contact() -> ColumnElement[bool]:
    """A contact who may be messaged: phone kept, consent given and not withdrawn, not opted out."""
    return and_(
        Contact.phone.is_not(None),
        Contact.consent_given_at.is_not(None),
        Contact.consent_withdrawn_at.is_(None),
        Contact.opted_out_at.is_(None),
        Contact.erased_at.is_(None),
    )


# The daily reminder selection looks up tens of thousands of children and their mothers by id. On
# PostgreSQL these covering indexes answer each lookup from the index alone (the mother's only if
# she may be messaged), which makes the index nested loop cheaper than hashing every child.
Index(
    "ix_child_id_mother_name", Child.id, postgresql_include=["mother_id", "name"], info=POSTGRESQL_ONLY
).ddl_if(dialect="postgresql")
Index(
    "ix_contact_notifiable_mother",
    Contact.id,
    postgresql_include=["phone", "name", "posyandu_id"],
    postgresql_where=and_(Contact.role == Role.IBU, notifiable_contact()),
    info=POSTGRESQL_ONLY,
).ddl_if(dialect="postgresql")


class Pregnancy(Base):
    __tablename__ = "pregnancy"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    hpht: Mapped[dt.date | None] = mapped_column(Date)  # first day of the last menstrual period
    hpl: Mapped[dt.date | None] = mapped_column(Date)  # estimated day of delivery
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    mother: Mapped[Contact] = relationship(back_populates="pregnancies")


class InboundStatus:
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"  # will be retried by the worker until attempts run out
    DEAD = "dead"  # gave up; kept for an operator to look at


class InboundMessage(Base):
    """A message from WhatsApp, stored before it is processed (and only once per MessageSid)."""

    __tablename__ = "inbound_message"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_phone: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default=InboundStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_inbound_message_status_next", "status", "next_attempt_at"),)


class OutboxStatus:
    PENDING = "pending"  # waiting for the worker (or for next_attempt_at)
    SENDING = "sending"  # claimed by a worker under a lease; the request may be in flight
    QUEUED = "queued"  # accepted by Twilio
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"
    #: Order of the forward-only progression; failed/undelivered are final.
    PROGRESS = (PENDING, SENDING, QUEUED, SENT, DELIVERED, READ)
    FINAL = (FAILED, UNDELIVERED, READ)


class OutboxMessage(Base):
    """One message to send; the only way anything leaves the bot."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    to_phone: Mapped[str] = mapped_column(String(20), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    body: Mapped[str | None] = mapped_column(Text)
    template_name: Mapped[str | None] = mapped_column(String(80))
    template_variables: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    media_url: Mapped[str | None] = mapped_column(Text)
    #: ``reply`` answers the contact's own message; anything else (``reminder``, ``announcement``,
    #: ``alert``...) is a notification: never sent at night, and as a template outside the 24-hour window.
    kind: Mapped[str] = mapped_column(String(20), default="reply", server_default="reply")
    #: What it belongs to, e.g. ``announcement:12`` (for delivery reports).
    ref: Mapped[str | None] = mapped_column(String(80), index=True)
    #: Unique per logical message: enqueueing the same key twice adds nothing.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    #: Sent even to an opted-out contact (only the opt-out confirmation itself).
    ignore_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.PENDING)
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Set when a send attempt's outcome is unknown (crash or network error): check Twilio before retrying.
    needs_reconcile: Mapped[bool] = mapped_column(Boolean, default=False)
    error_code: Mapped[str | None] = mapped_column(String(20))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)


class ConversationState(Base):
    """Where a contact is in a conversation; survives restarts."""

    __tablename__ = "conversation_state"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(60))
    step: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Case(Base):
    """A question or emergency handed to the bidan."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mother_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"))
    bidan_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(60))  # e.g. "bidan_request", "triage", "faq_unanswered"
    urgency: Mapped[str] = mapped_column(String(10), default="biasa")  # biasa | segera | darurat
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    summary: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    first_answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When an unanswered darurat case went to the posyandu's backup contact.
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When the bidan was last reminded of this unanswered case.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When the mother was asked how she and the child are (darurat cases).
    checked_back_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    mother: Mapped[Contact | None] = relationship(foreign_keys=[mother_id])
    bidan: Mapped[Contact | None] = relationship(foreign_keys=[bidan_id])
    posyandu: Mapped[Posyandu | None] = relationship()
    child: Mapped[Child | None] = relationship()

    __table_args__ = (
        Index("ix_case_mother_topic_status", "mother_id", "topic", "status"),
        Index("ix_case_status_opened", "status", "opened_at"),
    )


class Event(Base):
    """Append-only log of who did what, when (never updated or deleted, only anonymised)."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(60))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AsiPlan(Base):
    """A working mother's breastfeeding plan for one baby (the "ASI & kembali bekerja" flow)."""

    __tablename__ = "asi_plan"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    return_date: Mapped[dt.date] = mapped_column(Date)
    #: Hours away from the baby on a work day, travel included.
    hours_away: Mapped[int] = mapped_column(Integer)
    lactation_room: Mapped[bool] = mapped_column(Boolean)
    work_fridge: Mapped[bool] = mapped_column(Boolean)
    #: none | fridge | freezer_1door | freezer_2door | deep_freezer
    home_storage: Mapped[str] = mapped_column(String(20))
    #: breaks | lunch | none (time to express at work)
    express_time: Mapped[str] = mapped_column(String(10))
    caregiver: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: Set when the check-ins stop (replaced, STOP, stopped breastfeeding).
    stopped_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    stop_reason: Mapped[str | None] = mapped_column(String(40))

    child: Mapped[Child] = relationship()
    checkins: Mapped[list[AsiCheckin]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="AsiCheckin.due_at"
    )


class AsiCheckin(Base):
    """One check-in message of an ASI plan, due at a local date (stored as naive UTC)."""

    __tablename__ = "asi_checkin"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("asi_plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # e.g. before_14, first_day, week_2, month_4
    due_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answer: Mapped[str | None] = mapped_column(String(20))

    plan: Mapped[AsiPlan] = relationship(back_populates="checkins")

    __table_args__ = (Index("ix_asi_checkin_sent_due", "sent_at", "due_at"),)


class AsiStatus(Base):
    """A baby's breastfeeding status in one local calendar month (the month's latest answer counts)."""

    __tablename__ = "asi_status"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    #: First day of the local calendar month.
    period: Mapped[dt.date] = mapped_column(Date)
    #: The baby's age in completed months when recorded.
    age_months: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # exclusive | partial | stopped
    reason: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("child_id", "period"),)


class PosyanduCalendar(Base):
    """A posyandu's meeting rule: the Nth weekday of each month, or a fixed day of each month."""

    __tablename__ = "posyandu_calendar"

    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), primary_key=True)
    #: 0 = Monday ... 6 = Sunday (with ``week``), or ``None`` for a fixed day of the month.
    weekday: Mapped[int | None] = mapped_column(Integer)
    #: 1-5 = first to fifth such weekday of the month, -1 = the last one.
    week: Mapped[int | None] = mapped_column(Integer)
    #: 1-31: a fixed day of each month (the month's last day when it is shorter).
    monthday: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PosyanduException(Base):
    """A regular meeting day that is cancelled (``moved_to`` empty) or moved to another day."""

    __tablename__ = "posyandu_exception"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)
    moved_to: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("posyandu_id", "on_date"),)


class ImmunizationDose(Base):
    """A dose a child was given (as the mother, a kader or a register reports it)."""

    __tablename__ = "immunization_dose"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    vaccine: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # mother | posyandu | register
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("child_id", "vaccine"),)


class ImmunizationPlan(Base):
    """What a child's ``dose_due`` rows were computed from (to find children whose plan is stale)."""

    __tablename__ = "immunization_plan"

    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), primary_key=True)
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id", ondelete="SET NULL"))
    refreshed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DoseDue(Base):
    """A dose a child has not been given yet: when it is due, its limit, and the day to give it.

    Materialised from the schedule rules (``flows.knowledge.immunization``) whenever a child, a dose or the
    posyandu calendar changes, so the daily reminder selection is one indexed SQL join.
    """

    __tablename__ = "dose_due"

    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), primary_key=True)
    vaccine: Mapped[str] = mapped_column(String(20), primary_key=True)
    due: Mapped[dt.date] = mapped_column(Date)
    #: Last day it may be given (also when an earlier dose of its series lapses); ``None``: no limit.
    until: Mapped[dt.date | None] = mapped_column(Date)
    #: The posyandu day on which it should be given (its due date when there is no posyandu calendar).
    target: Mapped[dt.date] = mapped_column(Date)

    #: Seeked by posyandu day; a child's doses of one day come together (migration 0010).
    __table_args__ = (Index("ix_dose_due_target", "target", "child_id", "vaccine", "until", "due"),)


class ImmunizationReminder(Base):
    """One reminder step enqueued (or skipped as stale) for one dose and posyandu day: never twice."""

    __tablename__ = "immunization_reminder"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    vaccine: Mapped[str] = mapped_column(String(20))
    #: h-7 | h-1 | h0 | overdue1 | overdue2 | overdue3
    step: Mapped[str] = mapped_column(String(10))
    target: Mapped[dt.date] = mapped_column(Date)
    #: enqueued | stale | refused
    outcome: Mapped[str] = mapped_column(String(10))
    outbox_key: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("child_id", "vaccine", "step", "target"),
        # The selection's "not logged yet" check, by posyandu day and step.
        Index("ix_immunization_reminder_day", "target", "step", "child_id", "vaccine"),
    )


class GrowthMeasurement(Base):
    """One weighing/measuring of a child (by the mother, a kader at the posyandu, or a bulk import)."""

    __tablename__ = "growth_measurement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    measured_on: Mapped[dt.date] = mapped_column(Date)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    #: As measured (before WHO's lying/standing correction).
    length_cm: Mapped[float | None] = mapped_column(Float)
    position: Mapped[str | None] = mapped_column(String(10))  # recumbent | standing
    source: Mapped[str] = mapped_column(String(10))  # mother | kader | import
    #: The posyandu where the child was weighed (the mother's posyandu for home measurements).
    posyandu_id: Mapped[int | None] = mapped_column(
        ForeignKey("posyandu.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    wfa_z: Mapped[float | None] = mapped_column(Float)
    hfa_z: Mapped[float | None] = mapped_column(Float)
    wfh_z: Mapped[float | None] = mapped_column(Float)
    bmi_z: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("child_id", "measured_on"),)


class DevelopmentCheck(Base):
    """A child's milestone check for one age band (KPSP-style): invited, then answered."""

    __tablename__ = "development_check"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    band_months: Mapped[int] = mapped_column(Integer)
    invited_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: milestone id → True (can do it) / False (not yet)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("child_id", "band_months"),)


class MediaFile(Base):
    """A picture the bot sends (a growth chart), served once through an unguessable, expiring link."""

    __tablename__ = "media_file"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class Announcement(Base):
    """A kader's broadcast to the mothers of her posyandu: now, once at a local time, or monthly.

    ``repeat`` is ``once`` (at ``send_at``, naive UTC) or ``monthly`` (``days_before`` each posyandu day,
    at the local ``send_time``). Each firing is an :class:`AnnouncementRun`; the messages themselves are
    outbox rows with ``ref = "announcement:<id>"`` (the delivery report reads their status).
    """

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), index=True)
    #: The kader who wrote it (``None``: from the command line).
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(20))  # all | under2 | pregnant | overdue
    repeat: Mapped[str] = mapped_column(String(10))  # once | monthly
    send_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    days_before: Mapped[int | None] = mapped_column(Integer)
    send_time: Mapped[dt.time | None] = mapped_column(Time)
    status: Mapped[str] = mapped_column(String(12))  # scheduled | done | cancelled | missed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    posyandu: Mapped[Posyandu] = relationship()

    __table_args__ = (Index("ix_announcement_status_send_at", "status", "send_at"),)


class AnnouncementRun(Base):
    """One firing of an announcement (``run_date``: its local send date, or the posyandu day announced)."""

    __tablename__ = "announcement_run"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcement.id", ondelete="CASCADE"))
    run_date: Mapped[dt.date] = mapped_column(Date)
    fired_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    #: Recipients left for a later day by the sender number's daily limit.
    deferred: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("announcement_id", "run_date"),)


__all__ = [
    "Announcement",
    "AnnouncementRun",
    "AsiCheckin",
    "AsiPlan",
    "AsiStatus",
    "Base",
    "Case",
    "Child",
    "Contact",
    "ConversationState",
    "DevelopmentCheck",
    "DoseDue",
    "Event",
    "GrowthMeasurement",
    "ImmunizationDose",
    "ImmunizationPlan",
    "ImmunizationReminder",
    "InboundMessage",
    "InboundStatus",
    "MediaFile",
    "OutboxMessage",
    "OutboxStatus",
    "Posyandu",
    "PosyanduCalendar",
    "PosyanduException",
    "Pregnancy",
    "Role",
    "utcnow",
]
