"""Cart rules as plain functions: one cart per shopper, one line per variant (SKU), quantities bounded.

Every function validates before it changes anything, so a rejected call leaves the cart as it was.
Callers own the transaction (`Database.session()` commits or rolls back).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Merchant, Product, Variant
from shopcopilot.commerce.models import BrowsingEvent, Cart, CartLine, Shopper
from shopcopilot.errors import Conflict, InvalidInput, NotFound

MAX_LINE_QUANTITY = 99
"""No shopper needs more of one SKU in one order; larger numbers are typos or abuse."""
MAX_CART_LINES = 100


def validate_quantity(quantity: Any) -> int:
    # bool is an int in Python; `True` as a quantity is a client bug, not 1.
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidInput(f"quantity must be a whole number, not {quantity!r}", code="invalid_quantity")
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidInput(
            f"quantity must be between 1 and {MAX_LINE_QUANTITY}, not {quantity}", code="invalid_quantity"
        )
    return quantity


def _require_shopper(session: Session, shopper_id: str) -> Shopper:
    shopper = session.get(Shopper, shopper_id)
    if shopper is None:
        raise NotFound(f"no shopper {shopper_id!r}", code="shopper_not_found")
    return shopper


def _require_variant(session: Session, variant_id: str) -> Variant:
    variant = session.get(Variant, str(variant_id))
    if variant is None:
        raise NotFound(
            f"no variant (item) {variant_id!r}: look it up under /v1/products", code="variant_not_found"
        )
    return variant


def check_stock(variant: Variant, quantity: int) -> None:
    """Refuse an unavailable variant, or more units than its stock.

    A stock of 0 on an *available* variant means "not counted" (a merchant's new listing before stock is entered);
    sold out is `available = False`. The retail loader gives every available item a count.
    """
    if not variant.available:
        raise Conflict(f"variant {variant.id} is not available right now", code="variant_unavailable")
    if variant.stock and variant.stock > 0 and quantity > variant.stock:
        raise Conflict(
            f"only {variant.stock} of variant {variant.id} in stock, {quantity} requested",
            code="insufficient_stock",
        )


def get_cart(session: Session, shopper_id: str) -> Cart:
    """The shopper's cart, created empty on first use."""
    _require_shopper(session, shopper_id)
    query = select(Cart).where(Cart.shopper_id == shopper_id).options(selectinload(Cart.lines))
    cart = session.scalar(query)
    if cart is None:
        # Two first requests at once (two tabs, a double click) would both insert; the unique shopper_id then
        # fails one of them. Insert-or-ignore makes the loser read the winner's cart instead of erroring.
        session.execute(_insert_ignoring_duplicate(session, shopper_id))
        cart = session.scalar(query.execution_options(populate_existing=True))
        assert cart is not None
    return cart


def _insert_ignoring_duplicate(session: Session, shopper_id: str) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Cart).values(shopper_id=shopper_id).on_conflict_do_nothing(index_elements=["shopper_id"])


def _find_line(cart: Cart, variant_id: str) -> CartLine | None:
    return next((line for line in cart.lines if line.variant_id == str(variant_id)), None)


def add_line(session: Session, shopper_id: str, variant_id: str, quantity: int) -> CartLine:
    """Add `quantity` units of a variant; an existing line for it grows instead of a second line appearing."""
    quantity = validate_quantity(quantity)
    cart = get_cart(session, shopper_id)
    variant = _require_variant(session, variant_id)
    line = _find_line(cart, variant.id)
    total = quantity + (line.quantity if line else 0)
    if total > MAX_LINE_QUANTITY:
        raise InvalidInput(
            f"a cart line holds at most {MAX_LINE_QUANTITY} units; variant {variant.id} would reach {total}",
            code="invalid_quantity",
        )
    check_stock(variant, total)
    if line is None:
        if len(cart.lines) >= MAX_CART_LINES:
            raise InvalidInput(f"a cart holds at most {MAX_CART_LINES} different items", code="cart_full")
        line = CartLine(variant_id=variant.id, quantity=quantity)
        cart.lines.append(line)
    else:
        line.quantity = total
    session.add(
        BrowsingEvent(
            shopper_id=shopper_id, kind="add_to_cart", product_id=variant.product_id, variant_id=variant.id
        )
    )
    session.flush()
    return line


def update_line(session: Session, shopper_id: str, variant_id: str, quantity: int) -> CartLine:
    """Set the quantity of an existing line (use `remove_line` to drop it)."""
    quantity = validate_quantity(quantity)
    cart = get_cart(session, shopper_id)
    line = _find_line(cart, variant_id)
    if line is None:
        raise NotFound(f"variant {variant_id!r} is not in your cart", code="cart_line_not_found")
    check_stock(_require_variant(session, line.variant_id), quantity)
    line.quantity = quantity
    session.flush()
    return line


def remove_line(session: Session, shopper_id: str, variant_id: str) -> None:
    cart = get_cart(session, shopper_id)
    line = _find_line(cart, variant_id)
    if line is None:
        raise NotFound(f"variant {variant_id!r} is not in your cart", code="cart_line_not_found")
    cart.lines.remove(line)
    session.flush()


def clear_cart(session: Session, shopper_id: str) -> None:
    cart = get_cart(session, shopper_id)
    cart.lines.clear()
    session.flush()


def cart_view(session: Session, shopper_id: str) -> dict:
    """The cart as a shopper sees it: lines with product, options, unit price, line total, merchant; subtotal.

    Each line also carries `category_id` and `merchant_id`, which is what `coupons.coupon_discount` needs, so
    `coupon_discount(coupon, cart_view(...)["lines"])` works directly.
    """
    cart = get_cart(session, shopper_id)
    variant_ids = [line.variant_id for line in cart.lines]
    rows = session.execute(
        select(Variant, Product, Merchant)
        .join(Product, Variant.product_id == Product.id)
        .join(Merchant, Product.merchant_id == Merchant.id)
        .where(Variant.id.in_(variant_ids))
    ).all()
    by_variant = {variant.id: (variant, product, merchant) for variant, product, merchant in rows}
    lines = []
    for line in cart.lines:
        variant, product, merchant = by_variant[line.variant_id]
        lines.append(
            {
                "variant_id": variant.id,
                "product_id": product.id,
                "product_name": product.name,
                "options": dict(variant.options or {}),
                "unit_price": round(variant.price, 2),
                "quantity": line.quantity,
                "line_total": round(variant.price * line.quantity, 2),
                "available": bool(variant.available),
                "merchant_id": merchant.id,
                "merchant_name": merchant.name,
                "category_id": product.category_id,
            }
        )
    return {
        "shopper_id": shopper_id,
        "lines": lines,
        "item_count": sum(line["quantity"] for line in lines),
        "subtotal": round(sum(line["line_total"] for line in lines), 2),
    }
