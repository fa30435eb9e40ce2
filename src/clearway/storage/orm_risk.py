"""Storage rows of the risk rooms: profiles, decisions, capacity, IPR, dual-use, valuation,
screening lists. Who may import it: see `storage.orm`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class RiskProfileRow(Base):
    """One version of a risk profile. Editing an active profile makes a new draft version;
    activating a version retires the code's previously active one."""

    __tablename__ = "risk_profiles"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_risk_profiles_code_version"),
                      Index("ix_risk_profiles_status", "status"),
                      Index("ix_risk_profiles_agency", "agency"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # draft / active / retired
    owner: Mapped[str] = mapped_column(String(120))
    agency: Mapped[str | None] = mapped_column(String(8))  # an agency's own profile
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole profile, as in YAML
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RiskDecisionRow(Base):
    """The risk decision of a declaration (the latest; earlier ones stay in the audit trail)."""

    __tablename__ = "risk_decisions"
    __table_args__ = (Index("ix_risk_decisions_office_day", "office", "day"),)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    office: Mapped[str | None] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8), index=True)
    fiscal_score: Mapped[float] = mapped_column(Float)
    security_score: Mapped[float] = mapped_column(Float)
    probability: Mapped[float | None] = mapped_column(Float)
    expected_value: Mapped[float] = mapped_column(Float)
    random_selected: Mapped[bool] = mapped_column(Boolean)
    ens_outcome: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(40))
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)  # Decision.as_dict()


class CapacityBudgetRow(Base):
    """Controls an office can do per day in a channel (no row: unlimited)."""

    __tablename__ = "capacity_budgets"
    office: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    per_day: Mapped[int] = mapped_column(Integer)


class CapacityUsageRow(Base):
    """Selections made per office, day and channel: the row is locked while a decision
    takes a place, so concurrent decisions never overspend the budget."""

    __tablename__ = "capacity_usage"
    office: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    used: Mapped[int] = mapped_column(Integer)


class IprApplicationRow(Base):
    """A right holder's application for action (goods, brands, keywords, HS codes)."""

    __tablename__ = "ipr_applications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    right_holder: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # active / withdrawn
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DualUseEntryRow(Base):
    """An entry of the dual-use control list (e.g. 3A001) with its correlated codes."""

    __tablename__ = "dual_use_entries"
    control_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    codes: Mapped[list[str]] = mapped_column(JSON)  # correlated HS/CN code prefixes
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ValuationReferenceRow(Base):
    """Reference unit value of an HS6 (x origin; '' = all origins), from regular controls."""

    __tablename__ = "valuation_references"
    hs6: Mapped[str] = mapped_column(String(6), primary_key=True)
    origin_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    centre: Mapped[float] = mapped_column(Float)  # median unit value, EUR/kg
    spread: Mapped[float] = mapped_column(Float)  # robust spread of log unit values (MAD)
    observations: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "controls" (rebuilt from regular controls) or where an analyst took it from
    # ("mirror:MK:2026-11": a partner's export unit value, see mirror analysis).
    source: Mapped[str] = mapped_column(String(40), default="controls",
                                        server_default="controls")


class ScreeningEntryRow(Base):
    """An entry of a restricted-party list (sanctions, denied parties, watch lists)."""

    __tablename__ = "screening_entries"
    __table_args__ = (UniqueConstraint("list_id", "entry_id", name="uq_screening_entries"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    list_id: Mapped[str] = mapped_column(String(60), index=True)
    entry_id: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # ListEntry fields
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TraderRecordRow(Base):
    """A trader's record as the live risk decision reads it (one primary-key lookup), kept
    equal to `history_store.trader_records` over everything by `risk.trader_summary`, in the
    transactions that accept declarations and record control outcomes."""

    __tablename__ = "trader_records"
    trader_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    declarations: Mapped[int] = mapped_column(Integer)  # accepted IM/EX/CO/ENS filings
    controls: Mapped[int] = mapped_column(Integer)  # of them, controlled with an outcome
    irregular: Mapped[int] = mapped_column(Integer)  # of them, found irregular
    first_seen: Mapped[date | None] = mapped_column(Date)  # UTC date of the first filing
