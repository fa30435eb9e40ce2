"""corruption prevention: declarations of interest, sensitive posts and tenure exceptions;
the function of a duty shift's post; officers left out of an assignment for a conflict

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0021'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    _interests()
    op.create_table('sensitive_posts',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('office', sa.String(length=16), nullable=False),
    sa.Column('function', sa.String(length=24), nullable=False),
    sa.Column('max_tenure_days', sa.Integer(), nullable=False),
    sa.Column('warn_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office', 'function', name='uq_sensitive_posts_post')
    )
    op.create_table('tenure_exceptions',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('officer_id', BIG_ID, nullable=False),
    sa.Column('office', sa.String(length=16), nullable=False),
    sa.Column('function', sa.String(length=24), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_by_id', BIG_ID, nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', BIG_ID, nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id']),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_tenure_exceptions_post', 'tenure_exceptions',
                    ['officer_id', 'office', 'function'], unique=False)
    with op.batch_alter_table('duty_shifts') as batch:
        batch.add_column(sa.Column('function', sa.String(length=24), nullable=False,
                                   server_default='control'))
    with op.batch_alter_table('task_assignments') as batch:
        batch.add_column(sa.Column('excluded', sa.JSON(), nullable=True))


def _interests() -> None:
    op.create_table('interest_declarations',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('officer_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('party_id', sa.String(length=40), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('reviewed_by_id', BIG_ID, nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('prior_controls', sa.Integer(), nullable=False),
    sa.Column('prior_office', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_interest_declarations_party', 'interest_declarations',
                    ['party_id', 'officer_id'], unique=False)
    op.create_index('ix_interest_declarations_officer', 'interest_declarations',
                    ['officer_id'], unique=False)
    op.create_index('ix_interest_declarations_status', 'interest_declarations',
                    ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_assignments') as batch:
        batch.drop_column('excluded')
    with op.batch_alter_table('duty_shifts') as batch:
        batch.drop_column('function')
    op.drop_index('ix_tenure_exceptions_post', table_name='tenure_exceptions')
    op.drop_table('tenure_exceptions')
    op.drop_table('sensitive_posts')
    for index in ('ix_interest_declarations_status', 'ix_interest_declarations_officer',
                  'ix_interest_declarations_party'):
        op.drop_index(index, table_name='interest_declarations')
    op.drop_table('interest_declarations')
