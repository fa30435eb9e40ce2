"""summary declarations: requests for information to carriers and their answers

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('summary_rfis',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('asked', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=12), nullable=True),
    sa.Column('answer_version', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_actor', sa.String(length=120), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_after', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_summary_rfis_declaration', 'summary_rfis',
                    ['declaration_id', 'status'], unique=False)
    op.create_index('ix_summary_rfis_status', 'summary_rfis', ['status', 'asked_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_summary_rfis_status', table_name='summary_rfis')
    op.drop_index('ix_summary_rfis_declaration', table_name='summary_rfis')
    op.drop_table('summary_rfis')
