"""The order operations that change the store: cancel, modify a pending order (address, items, payment), return
or exchange a delivered one, and change a shopper's default address.

The rules are the retail store's policy (tau-bench's retail tools, whose results the conformance check compares
with). Every operation checks everything before it changes anything, so one that raises leaves the store as it
was; every change is recorded as an `OrderEvent` holding the fields before and after. Nothing here commits: the
caller's unit of work does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Variant
from shopcopilot.catalog.retail_io import order_record, shopper_order_ids, user_record
from shopcopilot.commerce.errors import (
    InsufficientBalance,
    InvalidReason,
    ItemCountMismatch,
    ItemNotAvailable,
    ItemNotFound,
    OrderNotFound,
    PaymentHistoryConflict,
    PaymentMethodNotAllowed,
    UnknownPaymentMethod,
    UserNotFound,
    WrongOrderStatus,
)
from shopcopilot.commerce.models import Order, OrderEvent, OrderItem, Payment, PaymentMethod, Shopper

CANCEL_REASONS = ("no longer needed", "ordered by mistake")
PENDING, DELIVERED = "pending", "delivered"


def cancel_pending_order(
    session: Session, *, order_id: str, reason: str, actor: str = "system"
) -> dict[str, Any]:
    """Cancel a pending order and refund what was paid, to each method that paid it (gift cards at once)."""
    order = _pending_order(session, order_id, "cancelled")
    if reason not in CANCEL_REASONS:
        raise InvalidReason(
            f"the reason must be one of {', '.join(map(repr, CANCEL_REASONS))}, not {reason!r}"
        )
    refunds = _refunds_due(order)
    methods = (session.get(PaymentMethod, payment_method_id) for payment_method_id in refunds)
    gift_cards = [method for method in methods if method is not None and _is_gift_card(method)]
    before = _snapshot(order, gift_cards)
    for payment_method_id, amount in refunds.items():
        _add_payment(order, "refund", amount, payment_method_id)
    for method in gift_cards:
        method.balance = round(method.balance + refunds[method.id], 2)
    order.status = "cancelled"
    order.cancel_reason = reason
    return _finish(session, "order_cancelled", actor, order, before, gift_cards)


def modify_pending_order_address(
    session: Session,
    *,
    order_id: str,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
    actor: str = "system",
) -> dict[str, Any]:
    """Change the shipping address of a pending order."""
    order = _pending_order(session, order_id, "modified")
    before = _snapshot(order)
    order.address = _address(address1, address2, city, state, country, zip)
    return _finish(session, "order_address_modified", actor, order, before)


def modify_pending_order_items(
    session: Session,
    *,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
    actor: str = "system",
) -> dict[str, Any]:
    """Swap items of a pending order for other options of the same products; the price difference is paid
    with, or refunded to, `payment_method_id`. Allowed once: the order becomes 'pending (item modified)'."""
    order = _pending_order(session, order_id, "modified")
    _check_items_in_order(order, item_ids)
    difference, new_variants = _price_difference(session, order, item_ids, new_item_ids)
    method = _payment_method(session, order, payment_method_id)
    _check_balance(method, difference)
    before = _snapshot(order, [method])
    _add_payment(order, "payment" if difference > 0 else "refund", abs(difference), method.id)
    if _is_gift_card(method):
        method.balance = round(method.balance - difference, 2)
    for item_id, variant in zip(item_ids, new_variants, strict=True):
        # The first line still holding `item_id`, so a repeated id swaps the next line that has it.
        item = _first_item(order, item_id)
        item.variant_id, item.price, item.options = variant.id, variant.price, dict(variant.options)
    order.status = "pending (item modified)"
    return _finish(session, "order_items_modified", actor, order, before, [method])


def modify_pending_order_payment(
    session: Session, *, order_id: str, payment_method_id: str, actor: str = "system"
) -> dict[str, Any]:
    """Pay a pending order with another method: the new one pays the total, the original one is refunded."""
    order = _pending_order(session, order_id, "modified")
    method = _payment_method(session, order, payment_method_id)
    if len(order.payments) != 1 or order.payments[0].transaction_type != "payment":
        raise PaymentHistoryConflict(
            f"order {order.id} should have exactly one payment to change, but its payment was already changed"
        )
    original = order.payments[0]
    if original.payment_method_id == payment_method_id:
        raise PaymentMethodNotAllowed(
            f"order {order.id} is already paid with {payment_method_id}; choose a different payment method"
        )
    amount = original.amount
    _check_balance(method, amount)
    old_method = session.get(PaymentMethod, original.payment_method_id)
    methods = [m for m in (method, old_method) if m is not None]
    before = _snapshot(order, methods)
    _add_payment(order, "payment", amount, method.id)
    _add_payment(order, "refund", amount, original.payment_method_id)
    if _is_gift_card(method):
        method.balance = round(method.balance - amount, 2)
    if old_method is not None and _is_gift_card(old_method):
        old_method.balance = round(old_method.balance + amount, 2)
    return _finish(session, "order_payment_modified", actor, order, before, methods)


def modify_user_address(
    session: Session,
    *,
    user_id: str,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
    actor: str = "system",
) -> dict[str, Any]:
    """Change a shopper's default address (their orders keep theirs)."""
    shopper = session.get(Shopper, user_id)
    if shopper is None:
        raise UserNotFound(f"no shopper has the user id {user_id!r}; look it up by email or by name and zip")
    before = {"address": shopper.address}
    shopper.address = _address(address1, address2, city, state, country, zip)
    # An event of the shopper's account, not of an order: it has no `order_id`.
    _record(session, "user_address_modified", actor, before, {"address": shopper.address}, shopper_id=user_id)
    return user_record(shopper, shopper_order_ids(session, user_id))


def return_delivered_order_items(
    session: Session, *, order_id: str, item_ids: list[str], payment_method_id: str, actor: str = "system"
) -> dict[str, Any]:
    """Request the return of delivered items, refunded to the original payment method or to a gift card."""
    order = _order_with_status(session, order_id, DELIVERED, "returned")
    method = _payment_method(session, order, payment_method_id)
    if not _is_gift_card(method) and payment_method_id != order.payments[0].payment_method_id:
        raise PaymentMethodNotAllowed(
            f"a refund for order {order.id} goes to its original payment method "
            f"({order.payments[0].payment_method_id}) or to a gift card, not to {payment_method_id}"
        )
    _check_items_in_order(order, item_ids)
    before = _snapshot(order)
    order.status = "return requested"
    order.return_items = sorted(item_ids)
    order.return_payment_method_id = payment_method_id
    return _finish(session, "order_return_requested", actor, order, before)


def exchange_delivered_order_items(
    session: Session,
    *,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
    actor: str = "system",
) -> dict[str, Any]:
    """Request the exchange of delivered items for other options of the same products; the price difference
    will be settled with `payment_method_id` when the items come back."""
    order = _order_with_status(session, order_id, DELIVERED, "exchanged")
    _check_items_in_order(order, item_ids)
    difference, _ = _price_difference(session, order, item_ids, new_item_ids)
    difference = round(difference, 2)
    method = _payment_method(session, order, payment_method_id)
    _check_balance(method, difference)
    before = _snapshot(order)
    order.status = "exchange requested"
    order.exchange_items = sorted(item_ids)
    order.exchange_new_items = sorted(new_item_ids)
    order.exchange_payment_method_id = payment_method_id
    order.exchange_price_difference = difference
    return _finish(session, "order_exchange_requested", actor, order, before)


def get_order(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    return order


def _order_with_status(session: Session, order_id: str, status: str, action: str) -> Order:
    order = get_order(session, order_id)
    if order.status != status:
        raise WrongOrderStatus(order.id, order.status, action, status)
    return order


def _pending_order(session: Session, order_id: str, action: str) -> Order:
    return _order_with_status(session, order_id, PENDING, action)


def _payment_method(session: Session, order: Order, payment_method_id: str) -> PaymentMethod:
    method = session.get(PaymentMethod, payment_method_id)
    if method is None or method.shopper_id != order.shopper_id:
        raise UnknownPaymentMethod(payment_method_id, order.shopper_id)
    return method


def _is_gift_card(method: PaymentMethod) -> bool:
    return method.source == "gift_card"


def _check_balance(method: PaymentMethod, amount: float) -> None:
    if _is_gift_card(method) and method.balance < amount:
        raise InsufficientBalance(method.id, method.balance, amount)


def _first_item(order: Order, item_id: str) -> OrderItem:
    return next(item for item in order.items if item.variant_id == item_id)


def _check_items_in_order(order: Order, item_ids: list[str]) -> None:
    if not item_ids:
        raise ItemCountMismatch("list at least one item of the order")
    in_order = Counter(item.variant_id for item in order.items)
    wanted = Counter(item_ids)
    for item_id in item_ids:
        if wanted[item_id] > in_order[item_id]:
            raise ItemNotFound(item_id, order.id)


def _price_difference(
    session: Session, order: Order, item_ids: list[str], new_item_ids: list[str]
) -> tuple[float, list[Variant]]:
    """What the new items cost more than the old ones (negative when less), summed in the order given."""
    if len(item_ids) != len(new_item_ids):
        raise ItemCountMismatch(
            f"{len(item_ids)} items to change but {len(new_item_ids)} new items; give one new item for each"
        )
    difference: float = 0
    variants = []
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        item = _first_item(order, item_id)
        variant = session.get(Variant, new_item_id)
        if variant is None or variant.product_id != item.product_id or not variant.available:
            raise ItemNotAvailable(new_item_id, item.name)
        difference += variant.price - item.price
        variants.append(variant)
    return difference, variants


def _refunds_due(order: Order) -> dict[str, float]:
    """What each payment method paid, net of refunds, in the order they first paid. (The reference refunds
    every history entry, refunds included, which pays twice after a payment change; the net is what policy says:
    'the total will be refunded via the original payment method'.)"""
    net: dict[str, float] = {}
    for payment in order.payments:
        sign = 1 if payment.transaction_type == "payment" else -1
        net[payment.payment_method_id] = net.get(payment.payment_method_id, 0) + sign * payment.amount
    return {payment_method_id: round(amount, 2) for payment_method_id, amount in net.items() if amount > 0}


def _add_payment(order: Order, transaction_type: str, amount: float, payment_method_id: str) -> None:
    order.payments.append(
        Payment(
            position=len(order.payments),
            transaction_type=transaction_type,
            amount=amount,
            payment_method_id=payment_method_id,
        )
    )


def _address(address1: str, address2: str, city: str, state: str, country: str, zip: str) -> dict[str, str]:
    # In the reference's key order, so results read like its observations.
    return {
        "address1": address1,
        "address2": address2,
        "city": city,
        "state": state,
        "country": country,
        "zip": zip,
    }


def _snapshot(order: Order, methods: Iterable[PaymentMethod] = ()) -> dict[str, Any]:
    snapshot = order_record(order)
    balances = {method.id: method.balance for method in methods if method.balance is not None}
    if balances:
        snapshot["gift_card_balances"] = balances
    return snapshot


def _finish(
    session: Session,
    kind: str,
    actor: str,
    order: Order,
    before: dict[str, Any],
    methods: Iterable[PaymentMethod] = (),
) -> dict[str, Any]:
    """Record the event and answer the order as it is now."""
    after = _snapshot(order, methods)
    _record(session, kind, actor, before, after, shopper_id=order.shopper_id, order_id=order.id)
    after.pop("gift_card_balances", None)
    return after


def _record(
    session: Session,
    kind: str,
    actor: str,
    before: dict,
    after: dict,
    *,
    shopper_id: str,
    order_id: str | None = None,
) -> None:
    """Add the audit event of a change: the fields that differ, before and after. Every event names its shopper;
    only an event about an order names the order."""
    fields = [name for name in {**before, **after} if before.get(name) != after.get(name)]
    payload = {
        "user_id": shopper_id,
        "before": {name: before.get(name) for name in fields},
        "after": {name: after.get(name) for name in fields},
    }
    session.add(OrderEvent(order_id=order_id, shopper_id=shopper_id, kind=kind, actor=actor, payload=payload))
