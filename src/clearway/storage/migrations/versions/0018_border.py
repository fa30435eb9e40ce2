"""integrated border management: crossing points, booth record fields, watch lists, alerts

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('border_crossings') as batch:
        batch.add_column(sa.Column('point', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('direction', sa.String(length=5), nullable=False,
                                   server_default='entry'))
        batch.add_column(sa.Column('trailer', sa.String(length=35), nullable=True))
        batch.add_column(sa.Column('driver', sa.String(length=120), nullable=True))
    _points_and_documents()
    _watch_lists()
    _alerts()


def _points_and_documents() -> None:
    op.create_table('border_crossing_points',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('office', sa.String(length=35), nullable=False),
    sa.Column('neighbour', sa.String(length=2), nullable=False),
    sa.Column('modes', sa.JSON(), nullable=False),
    sa.Column('agencies', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', WHEN, nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('border_crossing_documents',
    sa.Column('crossing_id', BIG_ID, nullable=False),
    sa.Column('mrn', sa.String(length=35), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['crossing_id'], ['border_crossings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('crossing_id', 'mrn')
    )
    op.create_index('ix_border_crossing_documents_mrn', 'border_crossing_documents', ['mrn'])


def _watch_lists() -> None:
    op.create_table('watch_entries',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('shown', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('owner', sa.String(length=20), nullable=False),
    sa.Column('shared_with', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', WHEN, nullable=False),
    sa.Column('ended_at', WHEN, nullable=True),
    sa.Column('ended_by', sa.String(length=100), nullable=True),
    sa.Column('end_reason', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_watch_entries_owner', 'watch_entries', ['owner'])
    op.create_table('watch_keys',
    sa.Column('entry_id', BIG_ID, nullable=False),
    sa.Column('facet', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entries.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'facet', 'key')
    )
    op.create_index('ix_watch_keys_key', 'watch_keys', ['key'])


def _alerts() -> None:
    op.create_table('watch_alerts',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('entry_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('matched', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=120), nullable=False),
    sa.Column('object_type', sa.String(length=12), nullable=False),
    sa.Column('object_ref', sa.String(length=35), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('raised_at', WHEN, nullable=False),
    sa.Column('closed_at', WHEN, nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('close_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entries.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'object_type', 'object_ref',
                        name='uq_watch_alerts_entry_object')
    )
    op.create_index('ix_watch_alerts_object', 'watch_alerts', ['object_type', 'object_ref'])
    op.create_table('watch_alert_services',
    sa.Column('alert_id', BIG_ID, nullable=False),
    sa.Column('service', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['watch_alerts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'service')
    )
    op.create_index('ix_watch_alert_services_service', 'watch_alert_services',
                    ['service', 'alert_id'])


def downgrade() -> None:
    op.drop_table('watch_alert_services')
    op.drop_table('watch_alerts')
    op.drop_table('watch_keys')
    op.drop_table('watch_entries')
    op.drop_table('border_crossing_documents')
    op.drop_table('border_crossing_points')
    with op.batch_alter_table('border_crossings') as batch:
        batch.drop_column('driver')
        batch.drop_column('trailer')
        batch.drop_column('direction')
        batch.drop_column('point')
