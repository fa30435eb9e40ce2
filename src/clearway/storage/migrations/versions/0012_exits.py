"""exports announced to partners and their exit confirmations (sending side)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('exit_records',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=False),
    sa.Column('partner', sa.String(length=8), nullable=False),
    sa.Column('agreement_id', sa.String(length=100), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('office_of_exit', sa.String(length=35), nullable=False),
    sa.Column('office_of_entry', sa.String(length=35), nullable=False),
    sa.Column('exit_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'mrn', name='uq_exit_records_partner_mrn')
    )
    op.create_index('ix_exit_records_status_deadline', 'exit_records', ['status', 'deadline_at'],
                    unique=False)
    op.create_index('ix_exit_records_declaration', 'exit_records', ['declaration_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('exit_records')
