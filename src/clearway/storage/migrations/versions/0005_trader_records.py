"""trader records: the live decision's per-trader summary

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 13:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trader_records',
    sa.Column('trader_id', sa.String(length=40), nullable=False),
    sa.Column('declarations', sa.Integer(), nullable=False),
    sa.Column('controls', sa.Integer(), nullable=False),
    sa.Column('irregular', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('trader_id')
    )
    # Backfill from the stored history with the point-in-time query itself, so an upgraded
    # database starts equal to it (the same code as `clearway risk rebuild-trader-records`).
    # It runs inside the migration's transaction: the table is filled or not created at all.
    from clearway.risk.trader_summary import rebuild

    rebuild(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_table('trader_records')
