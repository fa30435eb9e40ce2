"""signin_failures: failed token checks shared by every API process

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The sign-in throttle counted in each process's memory: N processes allowed N times
    # the limit and a restart forgot it. The failures now live here for one window.
    op.create_table(
        'signin_failures',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('client_key', sa.String(length=80), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_signin_failures_at', 'signin_failures', ['at'], unique=False)
    op.create_index('ix_signin_failures_client_key', 'signin_failures', ['client_key', 'at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_signin_failures_client_key', table_name='signin_failures')
    op.drop_index('ix_signin_failures_at', table_name='signin_failures')
    op.drop_table('signin_failures')
