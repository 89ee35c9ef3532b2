"""order events name their shopper: `order_events.shopper_id`, and `order_id` NULL for events without an order

Revision ID: 0007_order_event_shopper
Revises: 0006_posts

Before this revision an event that concerns no order (a shopper changing their default address) had `order_id`
"" and its shopper only in the payload. The data step gives every existing event its shopper: the user of its
order where it has one, else the payload's `user_id` where that shopper exists; and turns "" into NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_order_event_shopper"
down_revision = "0006_posts"
branch_labels = None
depends_on = None

# The tables as this revision sees them (not the models, which move on): only the columns the data step uses.
_events = sa.table(
    "order_events",
    sa.column("order_id", sa.String()),
    sa.column("shopper_id", sa.String()),
    sa.column("payload", sa.JSON()),
)
_orders = sa.table("orders", sa.column("id", sa.String()), sa.column("shopper_id", sa.String()))
_shoppers = sa.table("shoppers", sa.column("id", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shopper_id", sa.String(length=64), nullable=True))
        batch_op.alter_column("order_id", existing_type=sa.String(length=64), nullable=True)
        batch_op.create_index(batch_op.f("ix_order_events_shopper_id"), ["shopper_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_order_events_shopper_id_shoppers"),
            "shoppers",
            ["shopper_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Core expressions rather than SQL text: they render for SQLite and PostgreSQL alike (JSON access included)
    # and carry no '%' for a pyformat driver to misread.
    op.execute(_events.update().where(_events.c.order_id == "").values(order_id=None))
    order_shopper = (
        sa.select(_orders.c.shopper_id)
        .join(_shoppers, _shoppers.c.id == _orders.c.shopper_id)
        .where(_orders.c.id == _events.c.order_id)
        .scalar_subquery()
    )
    op.execute(_events.update().where(_events.c.order_id.is_not(None)).values(shopper_id=order_shopper))
    payload_user = _events.c.payload["user_id"].as_string()
    op.execute(
        _events.update()
        .where(_events.c.shopper_id.is_(None), sa.exists().where(_shoppers.c.id == payload_user))
        .values(shopper_id=payload_user)
    )


def downgrade() -> None:
    op.execute(_events.update().where(_events.c.order_id.is_(None)).values(order_id=""))
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_events_shopper_id_shoppers"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_events_shopper_id"))
        batch_op.alter_column("order_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("shopper_id")
