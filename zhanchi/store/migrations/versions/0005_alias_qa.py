"""Agency alias suggestions (accepted ones are registry data) and the QA sample.

Revision ID: 0005_alias_qa
Revises: 0004_audit_export
Create Date: 2026-12-02 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_alias_qa'
down_revision: str | None = '0004_audit_export'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registry_agency_aliases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('agency_name', sa.Text(), nullable=False),
    sa.Column('filing_no', sa.Text(), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('suggested_by', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_suggested_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_agency_aliases')),
    sa.UniqueConstraint('alias', 'agency_name',
                        name=op.f('uq_registry_agency_aliases_alias_agency_name'))
    )
    op.create_index('ix_registry_agency_aliases_status', 'registry_agency_aliases', ['status'],
                    unique=False)
    op.create_table('qa_samples',
    sa.Column('submission_pk', sa.Integer(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('draw', sa.Float(), nullable=False),
    sa.Column('policy_version', sa.String(length=64), nullable=False),
    sa.Column('sampled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=255), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['submission_pk'], ['submissions.pk'],
                            name=op.f('fk_qa_samples_submission_pk_submissions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_pk', name=op.f('pk_qa_samples'))
    )
    op.create_index(op.f('ix_qa_samples_verdict'), 'qa_samples', ['verdict'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_qa_samples_verdict'), table_name='qa_samples')
    op.drop_table('qa_samples')
    op.drop_index('ix_registry_agency_aliases_status', table_name='registry_agency_aliases')
    op.drop_table('registry_agency_aliases')
