"""webhooks: a circuit breaker per trader, shared by every dispatcher

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = ('circuit_state', 'consecutive_failures', 'circuit_open_until', 'last_error',
           'last_failure_at', 'last_success_at')


def upgrade() -> None:
    # A dead endpoint cost one timeout per due notification on every round, in every process.
    # The breaker's state is here, not in a process's memory, so all dispatchers and a
    # restart agree that the endpoint is resting (docs/reliability.md, "Webhooks").
    with op.batch_alter_table('webhooks') as batch:
        batch.add_column(sa.Column('circuit_state', sa.String(length=10), nullable=False,
                                   server_default='closed'))
        batch.add_column(sa.Column('consecutive_failures', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('circuit_open_until', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch.add_column(sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('webhooks') as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
