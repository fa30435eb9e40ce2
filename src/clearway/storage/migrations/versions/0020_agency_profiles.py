"""risk profiles an agency owns: the agency's code beside the profile's version

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('risk_profiles') as batch:
        batch.add_column(sa.Column('agency', sa.String(length=8), nullable=True))
        batch.create_index('ix_risk_profiles_agency', ['agency'])


def downgrade() -> None:
    with op.batch_alter_table('risk_profiles') as batch:
        batch.drop_index('ix_risk_profiles_agency')
        batch.drop_column('agency')
