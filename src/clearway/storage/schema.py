"""The whole stored schema as one `MetaData`: what Alembic compares the migrations with and
what the tests empty between runs. A table joins `Base.metadata` when its module is
imported, so this module imports every table module."""

from __future__ import annotations

from sqlalchemy import MetaData

from clearway.storage import (
    orm,
    orm_agencies,
    orm_assistance,
    orm_border,
    orm_controls,
    orm_exchange,
    orm_instructions,
    orm_licences,
    orm_mirror,
    orm_partnerships,
    orm_prearrival,
    orm_prevention,
    orm_privacy,
    orm_progress,
    orm_risk,
    orm_summaries,
    orm_training,
)
from clearway.storage.orm_base import Base

TABLE_MODULES = (orm, orm_agencies, orm_assistance, orm_controls, orm_exchange, orm_mirror,
                 orm_prearrival, orm_privacy, orm_risk, orm_training, orm_licences, orm_border,
                 orm_summaries, orm_instructions, orm_prevention, orm_partnerships,
                 orm_progress)
metadata: MetaData = Base.metadata
