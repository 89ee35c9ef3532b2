"""intent corrections: "I meant X" on an answer, reviewed before the intent router learns from it

Revision ID: 0008_intent_corrections
Revises: 0007_order_event_shopper
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_intent_corrections"
down_revision = "0007_order_event_shopper"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intent_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=True),
        sa.Column("shopper_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("predicted", sa.String(length=32), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["turn_id"],
            ["chat_turns.id"],
            name=op.f("fk_intent_corrections_turn_id_chat_turns"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intent_corrections")),
    )
    with op.batch_alter_table("intent_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intent_corrections_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intent_corrections_turn_id"), ["turn_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intent_corrections_shopper_id"), ["shopper_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intent_corrections_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intent_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intent_corrections_status"))
        batch_op.drop_index(batch_op.f("ix_intent_corrections_shopper_id"))
        batch_op.drop_index(batch_op.f("ix_intent_corrections_turn_id"))
        batch_op.drop_index(batch_op.f("ix_intent_corrections_session_id"))
    op.drop_table("intent_corrections")
