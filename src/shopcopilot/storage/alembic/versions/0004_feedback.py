"""feedback: thumbs up/down with an optional comment on assistant answers

Revision ID: 0004_feedback
Revises: 0003_search_documents
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_feedback"
down_revision = "0003_search_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=True),
        sa.Column("turn_position", sa.Integer(), nullable=True),
        sa.Column("shopper_id", sa.String(length=64), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["turn_id"], ["chat_turns.id"], name=op.f("fk_feedback_turn_id_chat_turns"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_turn_id"), ["turn_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_shopper_id"), ["shopper_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_shopper_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_turn_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_session_id"))
    op.drop_table("feedback")
