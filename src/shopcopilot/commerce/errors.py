"""The order operations' errors. Each says what was wrong and what to do; none is raised after a change was made,
so a failing operation leaves the store as it was."""

from __future__ import annotations

from shopcopilot.errors import Conflict, Forbidden, InvalidInput, NotFound


class UnknownOperation(InvalidInput):
    code = "unknown_operation"


class OrderNotFound(NotFound):
    code = "order_not_found"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id!r} was not found; check the order id (it looks like '#W1234567')")
        self.order_id = order_id


class UserNotFound(NotFound):
    code = "user_not_found"


class ProductNotFound(NotFound):
    code = "product_not_found"

    def __init__(self, product_id: str) -> None:
        super().__init__(f"product {product_id!r} was not found; list the product types to find its id")
        self.product_id = product_id


class WrongOrderStatus(Conflict):
    code = "wrong_order_status"

    def __init__(self, order_id: str, status: str, action: str, required: str) -> None:
        super().__init__(
            f"order {order_id} is {status!r}; only a {required!r} order can be {action}, check its status first"
        )
        self.order_id = order_id
        self.status = status


class NotYourOrder(Forbidden):
    code = "not_your_order"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} belongs to another shopper; you can only act on your own orders")
        self.order_id = order_id


class NotYourAccount(Forbidden):
    code = "not_your_account"

    def __init__(self) -> None:
        super().__init__("that is another shopper's account; you can only see and change your own")


class UnknownPaymentMethod(NotFound):
    code = "unknown_payment_method"

    def __init__(self, payment_method_id: str, user_id: str) -> None:
        super().__init__(
            f"payment method {payment_method_id!r} is not one of {user_id}'s; choose one from the profile"
        )
        self.payment_method_id = payment_method_id


class PaymentMethodNotAllowed(InvalidInput):
    code = "payment_method_not_allowed"


class InsufficientBalance(Conflict):
    code = "insufficient_balance"

    def __init__(self, payment_method_id: str, balance: float, needed: float) -> None:
        super().__init__(
            f"gift card {payment_method_id} has a balance of {balance:.2f}, not enough for {needed:.2f}; "
            "choose another payment method"
        )
        self.payment_method_id = payment_method_id


class PaymentHistoryConflict(Conflict):
    code = "payment_history_conflict"


class ItemNotFound(NotFound):
    code = "item_not_found"

    def __init__(self, item_id: str, order_id: str) -> None:
        super().__init__(
            f"item {item_id!r} is not in order {order_id} (or is listed more often than ordered); "
            "use the item ids from the order details"
        )
        self.item_id = item_id


class ItemNotAvailable(Conflict):
    code = "item_not_available"

    def __init__(self, new_item_id: str, product_name: str) -> None:
        super().__init__(
            f"item {new_item_id!r} is not an available option of {product_name}; "
            "pick an available item of the same product from its details"
        )
        self.item_id = new_item_id


class ItemCountMismatch(InvalidInput):
    code = "item_count_mismatch"


class InvalidReason(InvalidInput):
    code = "invalid_reason"


class InvalidExpression(InvalidInput):
    code = "invalid_expression"
