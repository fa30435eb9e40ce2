"""mirror analysis: partners' monthly aggregates and gaps

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('mirror_partner_periods',
    sa.Column('partner', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('partner', 'period')
    )
    op.create_table('mirror_partner_exports',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('partner', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('hs6', sa.String(length=6), nullable=False),
    sa.Column('value_eur', sa.Float(), nullable=False),
    sa.Column('mass_kg', sa.Float(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'period', 'hs6', name='uq_mirror_partner_exports')
    )
    op.create_index('ix_mirror_partner_exports_message', 'mirror_partner_exports',
                    ['message_id'], unique=False)
    # Where a valuation reference came from: a rebuild from controls, or a partner's unit
    # value an analyst promoted from a mirror gap.
    op.add_column('valuation_references',
                  sa.Column('source', sa.String(length=40), nullable=False,
                            server_default='controls'))


def downgrade() -> None:
    with op.batch_alter_table('valuation_references') as batch:
        batch.drop_column('source')
    op.drop_index('ix_mirror_partner_exports_message', table_name='mirror_partner_exports')
    op.drop_table('mirror_partner_exports')
    op.drop_table('mirror_partner_periods')
