"""anticipated arrivals received, matching and alarms (receiving side)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('arrival_alarms',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('partner', sa.String(length=8), nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=True),
    sa.Column('arrival_id', BIG_ID, nullable=True),
    sa.Column('exit_record_id', BIG_ID, nullable=True),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('close_reason', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_arrival_alarms_status', 'arrival_alarms', ['status', 'raised_at'],
                    unique=False)
    op.create_index('ix_arrival_alarms_declaration', 'arrival_alarms', ['declaration_id'],
                    unique=False)
    op.create_index('ix_arrival_alarms_mrn', 'arrival_alarms', ['mrn'], unique=False)


def downgrade() -> None:
    op.drop_table('arrival_alarms')
