"""data protection: access log, consents, retention, breach and processing registers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 08:00:00.000000

The access log of exchanged personal data, the originators' consents, retention extensions
and erasures, the breach register (docs/exchange.md, "Data protection"); and the digest of
each received message, kept when its data is erased so a late retry still gets its receipt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column('exchange_inbox', sa.Column('digest', sa.String(length=64), nullable=True))
    op.create_table('privacy_access_log',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('at', AT, nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('record', sa.String(length=100), nullable=True),
    sa.Column('purpose', sa.String(length=60), nullable=True),
    sa.Column('recipient', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_privacy_access_log_at', 'privacy_access_log', ['at'], unique=False)
    op.create_index('ix_privacy_access_log_message', 'privacy_access_log', ['message_id'],
                    unique=False)
    op.create_table('privacy_consents',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=60), nullable=True),
    sa.Column('recipient', sa.String(length=100), nullable=True),
    sa.Column('granted_by', sa.String(length=8), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('at', AT, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_privacy_consents_message', 'privacy_consents', ['message_id'],
                    unique=False)
    _retention_and_breaches()


def _retention_and_breaches() -> None:
    op.create_table('privacy_retention_extensions',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', AT, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_privacy_retention_extensions_message', 'privacy_retention_extensions',
                    ['message_id'], unique=False)
    op.create_table('privacy_erasures',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('cause', sa.String(length=12), nullable=False),
    sa.Column('at', AT, nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_table('privacy_breaches',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('detected_at', AT, nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('subjects_affected', sa.Integer(), nullable=False),
    sa.Column('partners_notified', sa.JSON(), nullable=False),
    sa.Column('authority_notified_at', AT, nullable=True),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', AT, nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )


def downgrade() -> None:
    op.drop_table('privacy_breaches')
    op.drop_table('privacy_erasures')
    op.drop_index('ix_privacy_retention_extensions_message',
                  table_name='privacy_retention_extensions')
    op.drop_table('privacy_retention_extensions')
    op.drop_index('ix_privacy_consents_message', table_name='privacy_consents')
    op.drop_table('privacy_consents')
    op.drop_index('ix_privacy_access_log_message', table_name='privacy_access_log')
    op.drop_index('ix_privacy_access_log_at', table_name='privacy_access_log')
    op.drop_table('privacy_access_log')
    with op.batch_alter_table('exchange_inbox') as batch:
        batch.drop_column('digest')
