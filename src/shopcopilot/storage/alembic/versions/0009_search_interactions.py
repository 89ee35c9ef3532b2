"""search interactions: which product a shopper chose for which search words (the ranker learns from them)

Revision ID: 0009_search_interactions
Revises: 0008_intent_corrections
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_search_interactions"
down_revision = "0008_intent_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_interactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("chooser", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_search_interactions_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_interactions")),
    )
    with op.batch_alter_table("search_interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_interactions_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_interactions_chooser"), ["chooser"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("search_interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_interactions_chooser"))
        batch_op.drop_index(batch_op.f("ix_search_interactions_product_id"))
    op.drop_table("search_interactions")
