"""The order service: the store's 16 order operations by name, with the JSON schema of their arguments, and
`run_operation`, which validates a call, enforces that a shopper only touches their own orders and account, and
runs it.

The operations themselves are plain functions `fn(session, *, <arguments>)` in `order_reads` (change nothing)
and `order_writes` (consequential: they also take the `actor` recorded in the audit trail).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.commerce.errors import NotYourAccount, NotYourOrder, UnknownOperation
from shopcopilot.commerce.order_reads import (
    calculate,
    find_user_id_by_email,
    find_user_id_by_name_zip,
    get_order_details,
    get_product_details,
    get_user_details,
    list_all_product_types,
    think,
    transfer_to_human_agents,
)
from shopcopilot.commerce.order_writes import (
    cancel_pending_order,
    exchange_delivered_order_items,
    get_order,
    modify_pending_order_address,
    modify_pending_order_items,
    modify_pending_order_payment,
    modify_user_address,
    return_delivered_order_items,
)
from shopcopilot.errors import InvalidInput


@dataclass(frozen=True)
class OperationSpec:
    name: str
    function: Callable[..., Any]
    description: str
    parameters: dict[str, Any]
    """JSON schema of the arguments (an object; every property required, no others)."""
    consequential: bool = False
    """Changes the store: needs the shopper's explicit confirmation first, and is audited."""
    authenticates: bool = False
    """Identifies a shopper: for an acting shopper it must find that very shopper."""

    def tool(self) -> dict[str, Any]:
        """The definition an LLM gets for this operation."""
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _texts(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _arguments(**properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_ORDER_ID = _text("The order id, such as '#W0000000'; mind the '#' in front.")
_USER_ID = _text("The user id, such as 'sara_doe_496'.")
_ITEM_IDS = _texts(
    "The item ids of the order to change, such as ['1008292230']; an item may appear more than once."
)
_NEW_ITEM_IDS = _texts(
    "For each item to change, in the same positions, the item id of the available option of the same product "
    "it becomes."
)
_PAYMENT_METHOD_ID = _text("A payment method id from the user's profile, such as 'gift_card_0000000'.")
_ADDRESS = {
    "address1": _text("First line, such as '123 Main St'."),
    "address2": _text("Second line, such as 'Apt 1' or ''."),
    "city": _text("City, such as 'San Francisco'."),
    "state": _text("State, such as 'CA'."),
    "country": _text("Country, such as 'USA'."),
    "zip": _text("Zip code, such as '12345'."),
}

_SPECS = [
    OperationSpec(
        "find_user_id_by_email",
        find_user_id_by_email,
        "Find a user id by email; authenticates the user.",
        _arguments(email=_text("The email, such as 'something@example.com'.")),
        authenticates=True,
    ),
    OperationSpec(
        "find_user_id_by_name_zip",
        find_user_id_by_name_zip,
        "Find a user id by first name, last name and zip code; authenticates the user when the email is unknown.",
        _arguments(
            first_name=_text("First name, such as 'John'."),
            last_name=_text("Last name, such as 'Doe'."),
            zip=_text("Zip code, such as '12345'."),
        ),
        authenticates=True,
    ),
    OperationSpec(
        "get_user_details",
        get_user_details,
        "The user's profile: name, default address, email, payment methods (gift-card balances) and order ids.",
        _arguments(user_id=_USER_ID),
    ),
    OperationSpec(
        "get_order_details",
        get_order_details,
        "An order's status, address, items, fulfilments and payment history.",
        _arguments(order_id=_ORDER_ID),
    ),
    OperationSpec(
        "get_product_details",
        get_product_details,
        "A product type's items (variants): their options, price and availability.",
        _arguments(product_id=_text("The product id, such as '6086499569'; not an item id.")),
    ),
    OperationSpec(
        "list_all_product_types",
        list_all_product_types,
        "The names and product ids of all product types in the store.",
        _arguments(),
    ),
    OperationSpec(
        "calculate",
        calculate,
        "Evaluate an arithmetic expression of numbers, + - * / and parentheses; the result has 2 decimals.",
        _arguments(expression=_text("Such as '2 + 2' or '(149.99 - 20) * 2'.")),
    ),
    OperationSpec(
        "cancel_pending_order",
        cancel_pending_order,
        "Cancel a pending order, refunding what was paid (gift cards at once, other methods in 5 to 7 business "
        "days). Needs the order id and the reason, and the user's explicit confirmation.",
        _arguments(
            order_id=_ORDER_ID,
            reason={
                "type": "string",
                "enum": ["no longer needed", "ordered by mistake"],
                "description": "Why the user cancels.",
            },
        ),
        consequential=True,
    ),
    OperationSpec(
        "modify_pending_order_address",
        modify_pending_order_address,
        "Change the shipping address of a pending order, after the user's explicit confirmation.",
        _arguments(order_id=_ORDER_ID, **_ADDRESS),
        consequential=True,
    ),
    OperationSpec(
        "modify_pending_order_items",
        modify_pending_order_items,
        "Change items of a pending order to other available options of the same products, paying or refunding "
        "the difference with a payment method (a gift card must cover it). Possible once per order: collect every "
        "item to change first, and get the user's explicit confirmation.",
        _arguments(
            order_id=_ORDER_ID,
            item_ids=_ITEM_IDS,
            new_item_ids=_NEW_ITEM_IDS,
            payment_method_id=_PAYMENT_METHOD_ID,
        ),
        consequential=True,
    ),
    OperationSpec(
        "modify_pending_order_payment",
        modify_pending_order_payment,
        "Pay a pending order with a different payment method (a gift card must cover the total); the original "
        "method is refunded. Needs the user's explicit confirmation.",
        _arguments(order_id=_ORDER_ID, payment_method_id=_PAYMENT_METHOD_ID),
        consequential=True,
    ),
    OperationSpec(
        "modify_user_address",
        modify_user_address,
        "Change the user's default address, after the user's explicit confirmation.",
        _arguments(user_id=_USER_ID, **_ADDRESS),
        consequential=True,
    ),
    OperationSpec(
        "return_delivered_order_items",
        return_delivered_order_items,
        "Request the return of items of a delivered order; the refund goes to the original payment method or to "
        "a gift card. The user then gets an email on how to send them back. Needs explicit confirmation.",
        _arguments(order_id=_ORDER_ID, item_ids=_ITEM_IDS, payment_method_id=_PAYMENT_METHOD_ID),
        consequential=True,
    ),
    OperationSpec(
        "exchange_delivered_order_items",
        exchange_delivered_order_items,
        "Request the exchange of items of a delivered order for other available options of the same products; "
        "the difference is paid or refunded with a payment method (a gift card must cover it). Possible once per "
        "order: collect every item first, and get the user's explicit confirmation.",
        _arguments(
            order_id=_ORDER_ID,
            item_ids=_ITEM_IDS,
            new_item_ids=_NEW_ITEM_IDS,
            payment_method_id=_PAYMENT_METHOD_ID,
        ),
        consequential=True,
    ),
    OperationSpec(
        "transfer_to_human_agents",
        transfer_to_human_agents,
        "Hand the user over to a human agent with a summary of the issue; only when the request is outside what "
        "these operations can do.",
        _arguments(summary=_text("What the user needs and what was done so far.")),
    ),
    OperationSpec(
        "think",
        think,
        "Think about something without changing anything, e.g. to plan or to check a rule.",
        _arguments(thought=_text("The thought.")),
    ),
]

ORDER_OPERATIONS: dict[str, OperationSpec] = {spec.name: spec for spec in _SPECS}


def run_operation(
    session: Session,
    name: str,
    arguments: dict[str, Any],
    *,
    acting_user_id: str | None = None,
    actor: str = "system",
) -> Any:
    """Validate and run one operation. With `acting_user_id`, the order or user it names must be that shopper's
    (else `NotYourOrder` / `NotYourAccount`, and nothing changes)."""
    spec = ORDER_OPERATIONS.get(name)
    if spec is None:
        raise UnknownOperation(
            f"there is no order operation {name!r}; the operations are {', '.join(ORDER_OPERATIONS)}"
        )
    validate_arguments(spec.parameters, arguments, where=name)
    if acting_user_id is not None:
        _check_ownership(session, arguments, acting_user_id)
    extra = {"actor": actor} if spec.consequential else {}
    result = spec.function(session, **arguments, **extra)
    if acting_user_id is not None and spec.authenticates and result != acting_user_id:
        raise NotYourAccount()
    return result


def _check_ownership(session: Session, arguments: dict[str, Any], acting_user_id: str) -> None:
    if "order_id" in arguments and get_order(session, arguments["order_id"]).shopper_id != acting_user_id:
        raise NotYourOrder(arguments["order_id"])
    if "user_id" in arguments and arguments["user_id"] != acting_user_id:
        raise NotYourAccount()


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def validate_arguments(schema: dict[str, Any], arguments: Any, *, where: str = "arguments") -> None:
    """Check `arguments` against an object schema of the shape `_arguments` builds: the properties' types
    (arrays item by item), required properties, no others. Allowed values (`enum`) are the operation's own rule,
    so that it answers with its own error."""
    if not isinstance(arguments, dict):
        raise InvalidInput(f"{where}: the arguments must be a JSON object, not {type(arguments).__name__}")
    properties = schema.get("properties", {})
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        raise InvalidInput(
            f"{where}: unknown argument(s) {', '.join(unknown)}; expected {', '.join(properties)}"
        )
    missing = [key for key in schema.get("required", []) if key not in arguments]
    if missing:
        raise InvalidInput(f"{where}: missing argument(s) {', '.join(missing)}")
    for key, value in arguments.items():
        _check_type(f"{where}.{key}", properties[key], value)


def _check_type(path: str, schema: dict[str, Any], value: Any) -> None:
    expected = schema.get("type")
    if expected is None:
        return
    is_bool = isinstance(value, bool)
    if not isinstance(value, _JSON_TYPES[expected]) or (is_bool and expected in ("integer", "number")):
        raise InvalidInput(
            f"{path} must be a{'n' if expected[0] in 'aeiou' else ''} {expected}, not {value!r}"
        )
    if expected == "array" and "items" in schema:
        for index, item in enumerate(value):
            _check_type(f"{path}[{index}]", schema["items"], item)
