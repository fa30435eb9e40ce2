"""single window: agencies, the regulatory matrix's versions, agency tasks and holds

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('target_minutes', sa.Integer(), nullable=False),
    sa.Column('inspection_rate', sa.Float(), nullable=False),
    sa.Column('created_at', WHEN, nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('agency_matrix_versions',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rule_count', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('proposed_by', sa.String(length=120), nullable=False),
    sa.Column('proposed_at', WHEN, nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', WHEN, nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    _tasks()


def _tasks() -> None:
    op.create_table('agency_tasks',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('reference', sa.String(length=35), nullable=False),
    sa.Column('agency', sa.String(length=8), nullable=False),
    sa.Column('office', sa.String(length=10), nullable=True),
    sa.Column('matrix_version', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('holds_release', sa.Boolean(), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('selection', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('officer_id', BIG_ID, nullable=True),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('routed_at', WHEN, nullable=False),
    sa.Column('started_at', WHEN, nullable=True),
    sa.Column('started_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', WHEN, nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['agency'], ['agencies.code']),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('declaration_id', 'agency', name='uq_agency_tasks')
    )
    op.create_index('ix_agency_tasks_agency_status', 'agency_tasks', ['agency', 'status'],
                    unique=False)
    op.create_index(op.f('ix_agency_tasks_declaration_id'), 'agency_tasks',
                    ['declaration_id'], unique=False)
    op.create_table('agency_task_steps',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('task_id', BIG_ID, nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('at', WHEN, nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('office', sa.String(length=10), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['agency_tasks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_agency_task_steps_task_id'), 'agency_task_steps', ['task_id'],
                    unique=False)
    op.create_table('agency_holds',
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('customs_cleared_at', WHEN, nullable=True),
    sa.Column('customs_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('declaration_id')
    )
    _joint()


def _joint() -> None:
    op.create_table('joint_inspections',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('declaration_id', BIG_ID, nullable=False),
    sa.Column('reference', sa.String(length=35), nullable=False),
    sa.Column('office', sa.String(length=10), nullable=True),
    sa.Column('slot_start', WHEN, nullable=False),
    sa.Column('slot_end', WHEN, nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('booked_at', WHEN, nullable=False),
    sa.Column('booked_by', sa.String(length=120), nullable=False),
    sa.Column('examined_at', WHEN, nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('declaration_id')
    )
    op.create_table('joint_inspection_results',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('inspection_id', BIG_ID, nullable=False),
    sa.Column('party', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', WHEN, nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['joint_inspections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'party', name='uq_joint_results')
    )


def downgrade() -> None:
    op.drop_table('joint_inspection_results')
    op.drop_table('joint_inspections')
    op.drop_table('agency_holds')
    op.drop_index(op.f('ix_agency_task_steps_task_id'), table_name='agency_task_steps')
    op.drop_table('agency_task_steps')
    op.drop_index(op.f('ix_agency_tasks_declaration_id'), table_name='agency_tasks')
    op.drop_index('ix_agency_tasks_agency_status', table_name='agency_tasks')
    op.drop_table('agency_tasks')
    op.drop_table('agency_matrix_versions')
    op.drop_table('agencies')
