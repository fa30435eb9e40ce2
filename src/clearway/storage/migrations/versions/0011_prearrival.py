"""anticipated arrivals received, matching and alarms (receiving side)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('arrival_alarms',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('partner', sa.String(length=8), nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=True),
    sa.Column('arrival_id', BIG_ID, nullable=True),
    sa.Column('exit_record_id', BIG_ID, nullable=True),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('close_reason', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_arrival_alarms_status', 'arrival_alarms', ['status', 'raised_at'],
                    unique=False)
    op.create_index('ix_arrival_alarms_declaration', 'arrival_alarms', ['declaration_id'],
                    unique=False)
    op.create_index('ix_arrival_alarms_mrn', 'arrival_alarms', ['mrn'], unique=False)
    op.create_index('ix_arrival_alarms_arrival', 'arrival_alarms', ['arrival_id'],
                    unique=False)
    op.create_index('ix_arrival_alarms_kind', 'arrival_alarms', ['kind', 'status'],
                    unique=False)
    op.create_table('arrival_alarm_weights',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('min_channel', sa.String(length=8), nullable=True),
    sa.Column('hard', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind')
    )
    _receiving_side()


def _receiving_side() -> None:
    """Anticipated arrivals received, their containers, booth records, tolerances."""
    op.create_table('anticipated_arrivals',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('partner', sa.String(length=8), nullable=False),
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=False),
    sa.Column('office_of_exit', sa.String(length=35), nullable=False),
    sa.Column('office_of_entry', sa.String(length=35), nullable=False),
    sa.Column('exit_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('vehicle', sa.String(length=35), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('matched_kind', sa.String(length=12), nullable=True),
    sa.Column('matched_ref', sa.String(length=64), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_index('ix_anticipated_arrivals_mrn', 'anticipated_arrivals', ['mrn'])
    op.create_index('ix_anticipated_arrivals_office', 'anticipated_arrivals',
                    ['office_of_entry', 'status'])
    op.create_index('ix_anticipated_arrivals_vehicle', 'anticipated_arrivals', ['vehicle'])
    op.create_index('ix_anticipated_arrivals_due', 'anticipated_arrivals',
                    ['status', 'deadline_at'])
    op.create_table('arrival_containers',
    sa.Column('arrival_id', BIG_ID, nullable=False),
    sa.Column('container', sa.String(length=17), nullable=False),
    sa.ForeignKeyConstraint(['arrival_id'], ['anticipated_arrivals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('arrival_id', 'container')
    )
    op.create_index('ix_arrival_containers_container', 'arrival_containers', ['container'])
    op.create_table('border_crossings',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('office', sa.String(length=35), nullable=False),
    sa.Column('vehicle', sa.String(length=35), nullable=False),
    sa.Column('containers', sa.JSON(), nullable=False),
    sa.Column('seals', sa.JSON(), nullable=False),
    sa.Column('from_country', sa.String(length=2), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('arrival_id', BIG_ID, nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_border_crossings_vehicle', 'border_crossings', ['vehicle'])
    op.create_index('ix_border_crossings_arrival', 'border_crossings', ['arrival_id'])
    op.create_table('arrival_tolerances',
    sa.Column('hs_chapter', sa.String(length=2), nullable=False),
    sa.Column('mass_pct', sa.Numeric(precision=7, scale=3), nullable=False),
    sa.Column('packages_abs', sa.Integer(), nullable=False),
    sa.Column('value_pct', sa.Numeric(precision=7, scale=3), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('hs_chapter')
    )


def downgrade() -> None:
    op.drop_table('arrival_tolerances')
    op.drop_table('border_crossings')
    op.drop_table('arrival_containers')
    op.drop_table('anticipated_arrivals')
    op.drop_table('arrival_alarm_weights')
    op.drop_table('arrival_alarms')
