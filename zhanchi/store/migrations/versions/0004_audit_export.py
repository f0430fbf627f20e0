"""Export marks: which decided claims have been exported for payment (issue 12).

Revision ID: 0004_audit_export
Revises: 0003_sessions_throttle
Create Date: 2026-12-02 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_audit_export'
down_revision: str | None = '0003_sessions_throttle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('export_marks',
    sa.Column('submission_pk', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('exported_by', sa.String(length=255), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_pk'], ['submissions.pk'], name=op.f('fk_export_marks_submission_pk_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_pk', name=op.f('pk_export_marks'))
    )


def downgrade() -> None:
    op.drop_table('export_marks')
