"""notifications: partial index of the unacknowledged ones per trader

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 13:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

UNACKNOWLEDGED = sa.text("acknowledged_at IS NULL")


def upgrade() -> None:
    # A trader's pull (no cursor) and acknowledge-up-to scanned every acknowledged
    # notification of the trader through ix_notifications_trader_id: cost grew with history.
    op.create_index('ix_notifications_unacknowledged', 'notifications', ['trader_id', 'id'],
                    unique=False, sqlite_where=UNACKNOWLEDGED, postgresql_where=UNACKNOWLEDGED)


def downgrade() -> None:
    op.drop_index('ix_notifications_unacknowledged', table_name='notifications')
