"""mutual assistance requests, replies and attachments

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('assistance_requests',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('partner', sa.String(length=8), nullable=False),
    sa.Column('agreement_id', sa.String(length=100), nullable=False),
    sa.Column('request_type', sa.String(length=16), nullable=False),
    sa.Column('subject_kind', sa.String(length=32), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('confidentiality', sa.String(length=16), nullable=False),
    sa.Column('mrn', sa.String(length=40), nullable=True),
    sa.Column('disclose_requested', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('drafted_by_id', BIG_ID, nullable=True),
    sa.Column('drafted_by', sa.String(length=120), nullable=False),
    sa.Column('approved_by', sa.String(length=120), nullable=True),
    sa.Column('assigned_to_id', BIG_ID, nullable=True),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('conversation_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('finding', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id']),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_assistance_direction_status', 'assistance_requests',
                    ['direction', 'status'], unique=False)
    op.create_index('ix_assistance_partner', 'assistance_requests', ['partner'], unique=False)
    op.create_index('ix_assistance_message', 'assistance_requests', ['message_id'],
                    unique=False)
    _replies_and_attachments()


def _replies_and_attachments() -> None:
    op.create_table('assistance_replies',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('request_id', BIG_ID, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('finding', sa.String(length=16), nullable=True),
    sa.Column('disclosed', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_assistance_replies_request_id'), 'assistance_replies',
                    ['request_id'], unique=False)
    op.create_table('assistance_attachments',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('request_id', BIG_ID, nullable=False),
    sa.Column('reply_id', BIG_ID, nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_id'], ['assistance_replies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_assistance_attachments_request_id'), 'assistance_attachments',
                    ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_assistance_attachments_request_id'),
                  table_name='assistance_attachments')
    op.drop_table('assistance_attachments')
    op.drop_index(op.f('ix_assistance_replies_request_id'), table_name='assistance_replies')
    op.drop_table('assistance_replies')
    op.drop_index('ix_assistance_message', table_name='assistance_requests')
    op.drop_index('ix_assistance_partner', table_name='assistance_requests')
    op.drop_index('ix_assistance_direction_status', table_name='assistance_requests')
    op.drop_table('assistance_requests')
