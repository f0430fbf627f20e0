"""Case versions (issue 12): a decision is refused when the case changed since it was seen.

Revision ID: 0002_review_version
Revises: 0001
Create Date: 2026-12-02 08:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_review_version'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_versions',
    sa.Column('submission_pk', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_pk'], ['submissions.pk'], name=op.f('fk_case_versions_submission_pk_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_pk', name=op.f('pk_case_versions'))
    )


def downgrade() -> None:
    op.drop_table('case_versions')
