"""progress reports to the regional conference: conferences, reports, sections

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'progress_conferences',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('administrations', sa.JSON(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('lead_months', sa.Integer(), nullable=False),
        sa.Column('reminder_days', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('code'))
    op.create_table(
        'progress_reports',
        sa.Column('id', BIG, autoincrement=True, nullable=False),
        sa.Column('conference', sa.String(length=40), nullable=False),
        sa.Column('administration', sa.String(length=2), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('reviewed_by', sa.String(length=120), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approved_by', sa.String(length=120), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('content', sa.JSON(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['conference'], ['progress_conferences.code']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('conference', 'administration', 'version',
                            name='uq_progress_reports_version'))
    with op.batch_alter_table('progress_reports') as batch:
        batch.create_index(batch.f('ix_progress_reports_conference'), ['conference'],
                           unique=False)
    op.create_table(
        'progress_sections',
        sa.Column('report_id', BIG, nullable=False),
        sa.Column('section', sa.String(length=20), nullable=False),
        sa.Column('owner', sa.String(length=120), nullable=True),
        sa.Column('narrative', sa.Text(), nullable=False),
        sa.Column('completed_by', sa.String(length=120), nullable=True),
        sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('report_id', 'section'))


def downgrade() -> None:
    op.drop_table('progress_sections')
    with op.batch_alter_table('progress_reports') as batch:
        batch.drop_index(batch.f('ix_progress_reports_conference'))
    op.drop_table('progress_reports')
    op.drop_table('progress_conferences')
