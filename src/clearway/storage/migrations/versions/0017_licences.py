"""licences: the register of licences, permits and certificates, their lines and write-offs

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('licences',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('type', sa.String(length=4), nullable=False),
    sa.Column('number', sa.String(length=70), nullable=False),
    sa.Column('holder', sa.String(length=40), nullable=False),
    sa.Column('agency', sa.String(length=20), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('end_user', sa.String(length=200), nullable=True),
    sa.Column('single_use', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('type', 'number', name='uq_licences_type_number')
    )
    op.create_index('ix_licences_holder', 'licences', ['holder'], unique=False)
    op.create_index('ix_licences_agency', 'licences', ['agency'], unique=False)
    _lines()
    _write_offs()


def _lines() -> None:
    op.create_table('licence_lines',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('licence_id', BIG_ID, nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('hs_prefix', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.Column('remaining_quantity', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('value', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.Column('remaining_value', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.CheckConstraint('remaining_quantity >= 0', name='ck_licence_lines_quantity_left'),
    sa.CheckConstraint('remaining_value >= 0', name='ck_licence_lines_value_left'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('licence_id', 'line', name='uq_licence_lines_line')
    )


def _write_offs() -> None:
    op.create_table('licence_write_offs',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('licence_id', BIG_ID, nullable=False),
    sa.Column('line_id', BIG_ID, nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('mrn', sa.String(length=18), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('reference', sa.String(length=70), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.Column('value', sa.Numeric(precision=21, scale=6), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reversed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reversal', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['licence_lines.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_licence_write_offs_declaration', 'licence_write_offs',
                    ['declaration_id'], unique=False)
    op.create_index('ix_licence_write_offs_licence', 'licence_write_offs', ['licence_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_licence_write_offs_licence', table_name='licence_write_offs')
    op.drop_index('ix_licence_write_offs_declaration', table_name='licence_write_offs')
    op.drop_table('licence_write_offs')
    op.drop_table('licence_lines')
    op.drop_index('ix_licences_agency', table_name='licences')
    op.drop_index('ix_licences_holder', table_name='licences')
    op.drop_table('licences')
