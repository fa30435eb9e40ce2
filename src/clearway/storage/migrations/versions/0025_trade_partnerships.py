"""partnerships with trade (MoU register, members, consultations, follow-up actions) and the
anonymous whistleblowing channel (reports and their messages)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('mous',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('obligations', sa.JSON(), nullable=False),
    sa.Column('facilitations', sa.JSON(), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('reviews', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', WHEN, nullable=False),
    sa.PrimaryKeyConstraint('code'))
    op.create_table('mou_members',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('mou_code', sa.String(length=40), nullable=False),
    sa.Column('trader_id', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('changed_at', WHEN, nullable=False),
    sa.Column('changed_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['mou_code'], ['mous.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_mou_members_trader', 'mou_members', ['trader_id'], unique=False)
    op.create_index('ix_mou_members_mou_code', 'mou_members', ['mou_code'], unique=False)
    _consultations()
    _whistleblowing()


def _consultations() -> None:
    op.create_table('consultations',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('outcomes', sa.Text(), nullable=False),
    sa.Column('mou_code', sa.String(length=40), nullable=True),
    sa.Column('recorded_at', WHEN, nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference'))
    op.create_index('ix_consultations_held_on', 'consultations', ['held_on'], unique=False)
    op.create_table('consultation_actions',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('consultation_id', BIG_ID, nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_consultation_actions_consultation_id', 'consultation_actions',
                    ['consultation_id'], unique=False)
    op.create_index('ix_consultation_actions_due_on', 'consultation_actions', ['due_on'],
                    unique=False)


def _whistleblowing() -> None:
    op.create_table('whistle_reports',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('case_reference', sa.String(length=40), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_hash'),
    sa.UniqueConstraint('case_reference'))
    op.create_table('whistle_messages',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('report_id', BIG_ID, nullable=False),
    sa.Column('author', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['whistle_reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_whistle_messages_report_id', 'whistle_messages', ['report_id'],
                    unique=False)


def downgrade() -> None:
    for table in ('whistle_messages', 'whistle_reports', 'consultation_actions',
                  'consultations', 'mou_members', 'mous'):
        op.drop_table(table)
