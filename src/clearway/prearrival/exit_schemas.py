"""API shapes of the exit records (api/exits.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ExitOut(BaseModel):
    """An export announced to a partner: `status` announced (waiting for the partner),
    confirmed (`confirmation`: the partner's result, arrived_at, office_of_entry and the
    kinds of alarm it raised) or unconfirmed (nothing by `deadline_at`: an alarm here)."""

    id: int
    declaration_id: int
    mrn: str
    partner: str
    agreement_id: str
    message_id: str
    office_of_exit: str
    office_of_entry: str
    exit_at: datetime
    deadline_at: datetime
    status: str
    confirmed_at: datetime | None
    confirmation: dict[str, Any] | None
