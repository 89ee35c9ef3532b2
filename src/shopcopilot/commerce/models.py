"""Commerce tables: shoppers and payment methods, carts, coupons, orders, browsing events, audit events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopcopilot.storage.base import Base


class Shopper(Base):
    __tablename__ = "shoppers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str | None] = mapped_column(String(8))

    payment_methods: Mapped[list[PaymentMethod]] = relationship(
        back_populates="shopper", order_by="PaymentMethod.position", cascade="all, delete-orphan"
    )


class PaymentMethod(Base):
    """A credit card, PayPal account or gift card. `details` keeps source-specific fields (brand, last_four)."""

    __tablename__ = "payment_methods"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(32))
    balance: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    shopper: Mapped[Shopper] = relationship(back_populates="payment_methods")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    """Place of the order in the shopper's order list."""
    address: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(40), index=True)
    fulfillments: Mapped[list] = mapped_column(JSON, default=list)
    cancel_reason: Mapped[str | None] = mapped_column(String(64))
    return_items: Mapped[list | None] = mapped_column(JSON)
    return_payment_method_id: Mapped[str | None] = mapped_column(String(64))
    exchange_items: Mapped[list | None] = mapped_column(JSON)
    exchange_new_items: Mapped[list | None] = mapped_column(JSON)
    exchange_payment_method_id: Mapped[str | None] = mapped_column(String(64))
    exchange_price_difference: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.position", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", order_by="Payment.position", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    """A line of an order: a snapshot of the variant (name, options, price) at purchase time."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    variant_id: Mapped[str] = mapped_column(String(64), index=True)
    price: Mapped[float] = mapped_column(Float)
    options: Mapped[dict] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="items")


class Payment(Base):
    """One entry of an order's payment history: a payment or a refund."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    transaction_type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[float] = mapped_column(Float)
    payment_method_id: Mapped[str] = mapped_column(String(64))

    order: Mapped[Order] = relationship(back_populates="payments")


class OrderEvent(Base):
    """The audit trail: every change to an order or to a shopper's account, who made it and what it was."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    """The order changed; None for a change that concerns no order (a shopper's default address)."""
    shopper_id: Mapped[str | None] = mapped_column(ForeignKey("shoppers.id", ondelete="SET NULL"), index=True)
    """The shopper whose order or account changed; None only on rows written before the column existed (and
    for whom no shopper could be found), or once that shopper is deleted: the event itself stays."""
    kind: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(100), default="system")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", order_by="CartLine.id", cascade="all, delete-orphan"
    )


class CartLine(Base):
    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)

    cart: Mapped[Cart] = relationship(back_populates="lines")


class Coupon(Base):
    """spend-X-save-Y (`kind='spend_save'`) or percentage off (`kind='percent'`), store-scoped or platform-wide,
    optionally limited to one category, valid between two dates, stackable with other coupons or not."""

    __tablename__ = "coupons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    merchant_id: Mapped[str | None] = mapped_column(ForeignKey("merchants.id"))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    kind: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float, default=0.0)
    amount: Mapped[float] = mapped_column(Float, default=0.0)
    percent: Mapped[float] = mapped_column(Float, default=0.0)
    stackable: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[datetime] = mapped_column(DateTime)
    valid_to: Mapped[datetime] = mapped_column(DateTime)
    title: Mapped[str] = mapped_column(String(200), default="")
    title_zh: Mapped[str] = mapped_column(String(200), default="")


class ShopperCoupon(Base):
    """A coupon in a shopper's wallet."""

    __tablename__ = "shopper_coupons"
    __table_args__ = (UniqueConstraint("shopper_id", "coupon_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), index=True)
    coupon_id: Mapped[str] = mapped_column(ForeignKey("coupons.id", ondelete="CASCADE"))
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class BrowsingEvent(Base):
    """A view, search or add-to-cart by a shopper; the raw material of personalisation."""

    __tablename__ = "browsing_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[str | None] = mapped_column(String(64))
    variant_id: Mapped[str | None] = mapped_column(String(64))
    query: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class IdempotencyRecord(Base):
    """The stored response of a request made with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    principal: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
