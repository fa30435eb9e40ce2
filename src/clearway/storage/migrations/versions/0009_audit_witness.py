"""audit checkpoints numbered without gaps (for the witness)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:00:00.000000

Checkpoints are numbered 1, 2, 3... without gaps from now on (given under the chain's head
lock, not by a sequence, which loses a number on every rollback), so that `audit verify`
can tell a deleted checkpoint and compare them with the witness. Existing checkpoints are
renumbered in the order they were made: their (v1) signatures do not cover the number,
and their order stays fixed by the chained signatures. No column changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM audit_checkpoints ORDER BY id"))]
    moves = [(old, new) for new, old in enumerate(ids, start=1) if old != new]
    # Through negative numbers, so that no step collides with a number still in use.
    for old, _new in moves:
        conn.execute(sa.text("UPDATE audit_checkpoints SET id = :tmp WHERE id = :old"),
                     {"tmp": -old, "old": old})
    for old, new in moves:
        conn.execute(sa.text("UPDATE audit_checkpoints SET id = :new WHERE id = :tmp"),
                     {"new": new, "tmp": -old})


def downgrade() -> None:
    pass  # the numbers stay valid identifiers
