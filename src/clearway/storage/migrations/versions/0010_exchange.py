"""exchange: partners, agreements, outbox, inbox and receipts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:00:00.000000

Another administration's messages and this one's to it (docs/exchange.md): the partner
register and the agreements loaded from YAML; signed messages wait in the outbox (written in
the transaction of the event that causes them) until the partner's signed receipt is back;
messages received are kept once per message id; both sides' receipts are kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('inbox_url', sa.String(length=500), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('agreements',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('exchange_outbox',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('to_party', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_index('ix_exchange_outbox_due', 'exchange_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('exchange_inbox',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('from_party', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('purpose', sa.String(length=60), nullable=False),
    sa.Column('agreement_ref', sa.String(length=100), nullable=False),
    sa.Column('envelope', sa.JSON(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_index('ix_exchange_inbox_from_received', 'exchange_inbox', ['from_party', 'received_at'], unique=False)
    op.create_table('exchange_receipts',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id', 'direction', name='uq_exchange_receipts_message')
    )


def downgrade() -> None:
    op.drop_table('exchange_receipts')
    op.drop_index('ix_exchange_inbox_from_received', table_name='exchange_inbox')
    op.drop_table('exchange_inbox')
    op.drop_index('ix_exchange_outbox_due', table_name='exchange_outbox')
    op.drop_table('exchange_outbox')
    op.drop_table('agreements')
    op.drop_table('partners')
