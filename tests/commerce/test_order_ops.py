"""The order operations on the real retail store: each policy rule, each typed error, the audit trail, ownership.

Olivia Ito (olivia_ito_3591) has a gift card with 56.00, a PayPal account and a Visa; her orders are #W5866402
(delivered, PayPal), #W5353646 (processed), #W5442520 and #W7941031 (pending, Visa) and #W3657213 (pending, paid
with the gift card). Omar Silva (omar_silva_7446) is another shopper.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.retail_io import export_retail
from shopcopilot.commerce import errors
from shopcopilot.commerce.models import OrderEvent, PaymentMethod
from shopcopilot.commerce.order_ops import ORDER_OPERATIONS, run_operation
from shopcopilot.commerce.order_reads import calculate, get_order_details
from shopcopilot.commerce.order_writes import (
    cancel_pending_order,
    exchange_delivered_order_items,
    modify_pending_order_address,
    modify_pending_order_items,
    modify_pending_order_payment,
    modify_user_address,
    return_delivered_order_items,
)
from shopcopilot.errors import Forbidden, InvalidInput
from shopcopilot.storage.db import Database

OLIVIA, OMAR = "olivia_ito_3591", "omar_silva_7446"
GIFT_CARD, PAYPAL, VISA = "gift_card_7794233", "paypal_8049766", "credit_card_9753331"
DELIVERED, PROCESSED, PENDING_VISA, PENDING_VISA_2, PENDING_GIFT = (
    "#W5866402",
    "#W5353646",
    "#W5442520",
    "#W7941031",
    "#W3657213",
)
OMARS_ORDER = "#W9728773"
NEW_ADDRESS = {
    "address1": "1 Harbour Road",
    "address2": "Unit 2",
    "city": "Portland",
    "state": "OR",
    "country": "USA",
    "zip": "97201",
}


@pytest.fixture
def session(retail_db: Database) -> Iterator[Session]:
    with retail_db.sessions() as session:
        yield session


def balance(session: Session, payment_method_id: str) -> float:
    session.flush()
    return session.get(PaymentMethod, payment_method_id).balance


def events(session: Session) -> list[OrderEvent]:
    session.flush()
    return list(session.scalars(select(OrderEvent).order_by(OrderEvent.id)))


def test_the_registry_holds_the_16_operations_with_schemas_that_match_their_functions():
    assert sorted(ORDER_OPERATIONS) == sorted(
        [
            "find_user_id_by_email",
            "find_user_id_by_name_zip",
            "get_user_details",
            "get_order_details",
            "get_product_details",
            "list_all_product_types",
            "cancel_pending_order",
            "modify_pending_order_address",
            "modify_pending_order_items",
            "modify_pending_order_payment",
            "modify_user_address",
            "return_delivered_order_items",
            "exchange_delivered_order_items",
            "calculate",
            "transfer_to_human_agents",
            "think",
        ]
    )
    consequential = {name for name, spec in ORDER_OPERATIONS.items() if spec.consequential}
    assert consequential == {
        "cancel_pending_order",
        "modify_pending_order_address",
        "modify_pending_order_items",
        "modify_pending_order_payment",
        "modify_user_address",
        "return_delivered_order_items",
        "exchange_delivered_order_items",
    }
    for name, spec in ORDER_OPERATIONS.items():
        assert spec.function.__name__ == name
        keyword_only = [
            parameter.name
            for parameter in inspect.signature(spec.function).parameters.values()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.name != "actor"
        ]
        assert spec.parameters["required"] == keyword_only == list(spec.parameters["properties"]), name
        assert spec.tool() == {"name": name, "description": spec.description, "parameters": spec.parameters}


def test_cancel_refunds_a_gift_card_at_once_and_records_the_event(session: Session):
    total = get_order_details(session, order_id=PENDING_GIFT)["payment_history"][0]["amount"]

    order = cancel_pending_order(
        session, order_id=PENDING_GIFT, reason="no longer needed", actor="agent:test"
    )

    assert order["status"] == "cancelled"
    assert order["cancel_reason"] == "no longer needed"
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": total,
        "payment_method_id": GIFT_CARD,
    }
    assert balance(session, GIFT_CARD) == round(56 + total, 2)
    [event] = events(session)
    assert (event.order_id, event.kind, event.actor) == (PENDING_GIFT, "order_cancelled", "agent:test")
    assert event.shopper_id == event.payload["user_id"] == OLIVIA
    assert event.payload["before"]["status"] == "pending"
    assert event.payload["after"]["status"] == "cancelled"
    assert event.payload["before"]["gift_card_balances"] == {GIFT_CARD: 56}
    assert event.payload["after"]["gift_card_balances"] == {GIFT_CARD: round(56 + total, 2)}
    assert set(event.payload["after"]) == {"status", "payment_history", "cancel_reason", "gift_card_balances"}


def test_cancel_refunds_a_card_without_touching_balances(session: Session):
    order = cancel_pending_order(session, order_id=PENDING_VISA, reason="ordered by mistake")
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 663.85, "payment_method_id": VISA},
        {"transaction_type": "refund", "amount": 663.85, "payment_method_id": VISA},
    ]
    assert balance(session, GIFT_CARD) == 56


def test_cancel_after_a_payment_change_refunds_only_what_is_still_paid(session: Session):
    modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id=PAYPAL)
    order = cancel_pending_order(session, order_id=PENDING_VISA, reason="no longer needed")
    assert order["payment_history"][3:] == [
        {"transaction_type": "refund", "amount": 663.85, "payment_method_id": PAYPAL}
    ]


def test_cancel_rules(session: Session):
    with pytest.raises(errors.WrongOrderStatus, match="processed"):
        cancel_pending_order(session, order_id=PROCESSED, reason="no longer needed")
    with pytest.raises(errors.InvalidReason):
        cancel_pending_order(session, order_id=PENDING_VISA, reason="found it cheaper")
    with pytest.raises(errors.OrderNotFound, match="#W0000000"):
        cancel_pending_order(session, order_id="#W0000000", reason="no longer needed")
    assert issubclass(errors.InvalidReason, InvalidInput)


def test_modify_address_keeps_the_order_pending(session: Session):
    order = modify_pending_order_address(session, order_id=PENDING_VISA, **NEW_ADDRESS)
    assert order["address"] == NEW_ADDRESS
    assert order["status"] == "pending"
    assert events(session)[0].payload["after"] == {"address": NEW_ADDRESS}
    with pytest.raises(errors.WrongOrderStatus):
        modify_pending_order_address(session, order_id=DELIVERED, **NEW_ADDRESS)


def test_modify_items_pays_the_difference_from_a_gift_card_and_is_allowed_once(session: Session):
    # Gaming Mouse 137.32 -> 143.15 and Hiking Boots 240.87 -> 253.89, both available options of the same product.
    order = modify_pending_order_items(
        session,
        order_id=PENDING_VISA,
        item_ids=["3330317167", "2648909398"],
        new_item_ids=["8896479688", "1615379700"],
        payment_method_id=GIFT_CARD,
    )
    difference = (143.15 - 137.32) + (253.89 - 240.87)
    assert order["status"] == "pending (item modified)"
    assert [item["item_id"] for item in order["items"]] == ["8896479688", "3111466194", "1615379700"]
    assert [item["price"] for item in order["items"]] == [143.15, 285.66, 253.89]
    assert order["items"][0]["name"] == "Gaming Mouse"
    assert order["payment_history"][-1] == {
        "transaction_type": "payment",
        "amount": difference,
        "payment_method_id": GIFT_CARD,
    }
    assert balance(session, GIFT_CARD) == round(56 - difference, 2)
    with pytest.raises(errors.WrongOrderStatus, match="pending \\(item modified\\)"):
        modify_pending_order_items(
            session,
            order_id=PENDING_VISA,
            item_ids=["8896479688"],
            new_item_ids=["8214883393"],
            payment_method_id=GIFT_CARD,
        )


def test_modify_items_refunds_a_cheaper_option(session: Session):
    # Backpack 212.79 -> 198.00: 14.79 back onto the gift card.
    order = modify_pending_order_items(
        session,
        order_id=PENDING_VISA_2,
        item_ids=["5917587651"],
        new_item_ids=["3928046918"],
        payment_method_id=GIFT_CARD,
    )
    assert order["payment_history"][-1]["transaction_type"] == "refund"
    assert order["payment_history"][-1]["amount"] == pytest.approx(14.79)
    assert balance(session, GIFT_CARD) == 70.79


@pytest.mark.parametrize(
    ("item_ids", "new_item_ids", "payment_method_id", "error"),
    [
        (["1111111111"], ["8896479688"], GIFT_CARD, errors.ItemNotFound),  # not in the order
        (["3330317167", "3330317167"], ["8896479688", "8214883393"], GIFT_CARD, errors.ItemNotFound),  # once
        ([], [], GIFT_CARD, errors.ItemCountMismatch),
        (["3330317167"], ["8896479688", "8214883393"], GIFT_CARD, errors.ItemCountMismatch),
        (["3330317167"], ["7420906769"], GIFT_CARD, errors.ItemNotAvailable),  # unavailable option
        (["3330317167"], ["2001307871"], GIFT_CARD, errors.ItemNotAvailable),  # a patio umbrella, not a mouse
        (["3330317167"], ["0000000000"], GIFT_CARD, errors.ItemNotAvailable),  # no such item
        (["3330317167"], ["8896479688"], "gift_card_5540683", errors.UnknownPaymentMethod),  # Omar's card
        (["1355937109"], ["4510078629"], GIFT_CARD, errors.InsufficientBalance),  # 142.32 more than 56
    ],
)
def test_a_refused_item_change_changes_nothing(
    session: Session, item_ids, new_item_ids, payment_method_id, error
):
    order_id = PENDING_VISA_2 if item_ids == ["1355937109"] else PENDING_VISA
    before = export_retail(session)
    with pytest.raises(error):
        modify_pending_order_items(
            session,
            order_id=order_id,
            item_ids=item_ids,
            new_item_ids=new_item_ids,
            payment_method_id=payment_method_id,
        )
    session.flush()
    session.expire_all()
    assert export_retail(session) == before
    assert events(session) == []


def test_modify_payment_moves_the_total_to_the_new_method(session: Session):
    order = modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id=PAYPAL)
    assert order["status"] == "pending"
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 663.85, "payment_method_id": VISA},
        {"transaction_type": "payment", "amount": 663.85, "payment_method_id": PAYPAL},
        {"transaction_type": "refund", "amount": 663.85, "payment_method_id": VISA},
    ]
    with pytest.raises(errors.PaymentHistoryConflict):
        modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id=VISA)


def test_modify_payment_away_from_a_gift_card_refunds_it(session: Session):
    total = get_order_details(session, order_id=PENDING_GIFT)["payment_history"][0]["amount"]
    modify_pending_order_payment(session, order_id=PENDING_GIFT, payment_method_id=VISA)
    assert balance(session, GIFT_CARD) == round(56 + total, 2)
    assert events(session)[0].payload["after"]["gift_card_balances"] == {GIFT_CARD: round(56 + total, 2)}


def test_modify_payment_rules(session: Session):
    with pytest.raises(errors.PaymentMethodNotAllowed, match="different"):
        modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id=VISA)
    with pytest.raises(errors.InsufficientBalance, match="56.00"):
        modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id=GIFT_CARD)
    with pytest.raises(errors.UnknownPaymentMethod):
        modify_pending_order_payment(session, order_id=PENDING_VISA, payment_method_id="paypal_0000000")
    with pytest.raises(errors.WrongOrderStatus):
        modify_pending_order_payment(session, order_id=DELIVERED, payment_method_id=GIFT_CARD)
    assert events(session) == []
    assert get_order_details(session, order_id=PENDING_VISA)["payment_history"] == [
        {"transaction_type": "payment", "amount": 663.85, "payment_method_id": VISA}
    ]


def test_return_goes_to_the_original_method_or_a_gift_card(session: Session):
    with pytest.raises(errors.PaymentMethodNotAllowed, match=PAYPAL):
        return_delivered_order_items(
            session, order_id=DELIVERED, item_ids=["9727387530"], payment_method_id=VISA
        )
    order = return_delivered_order_items(
        session, order_id=DELIVERED, item_ids=["9727387530", "6242772310"], payment_method_id=GIFT_CARD
    )
    assert order["status"] == "return requested"
    assert order["return_items"] == ["6242772310", "9727387530"]  # sorted, as the reference stores them
    assert order["return_payment_method_id"] == GIFT_CARD
    assert balance(session, GIFT_CARD) == 56  # refunded when the items are back, not now
    assert events(session)[0].kind == "order_return_requested"


def test_return_rules(session: Session):
    with pytest.raises(errors.WrongOrderStatus, match="delivered"):
        return_delivered_order_items(
            session, order_id=PENDING_VISA, item_ids=["3330317167"], payment_method_id=VISA
        )
    with pytest.raises(errors.ItemNotFound):
        return_delivered_order_items(
            session, order_id=DELIVERED, item_ids=["9727387530", "9727387530"], payment_method_id=PAYPAL
        )
    assert return_delivered_order_items(
        session, order_id=DELIVERED, item_ids=["9727387530"], payment_method_id=PAYPAL
    )["return_items"] == ["9727387530"]


def test_exchange_records_the_rounded_price_difference(session: Session):
    # Espresso Machine 2996.03 -> 2744.70: 251.33 to give back when the machine is returned.
    order = exchange_delivered_order_items(
        session,
        order_id=DELIVERED,
        item_ids=["6242772310"],
        new_item_ids=["3709608322"],
        payment_method_id=PAYPAL,
    )
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == ["6242772310"]
    assert order["exchange_new_items"] == ["3709608322"]
    assert order["exchange_payment_method_id"] == PAYPAL
    assert order["exchange_price_difference"] == -251.33
    assert [item["item_id"] for item in order["items"]] == [
        "6242772310",
        "9727387530",
    ]  # unchanged until returned


def test_exchange_rules(session: Session):
    with pytest.raises(errors.InsufficientBalance):  # 85.88 more than the card's 56
        exchange_delivered_order_items(
            session,
            order_id=DELIVERED,
            item_ids=["6242772310"],
            new_item_ids=["7407838442"],
            payment_method_id=GIFT_CARD,
        )
    with pytest.raises(errors.ItemNotAvailable):
        exchange_delivered_order_items(
            session,
            order_id=DELIVERED,
            item_ids=["9727387530"],
            new_item_ids=["3631875806"],
            payment_method_id=PAYPAL,
        )
    with pytest.raises(errors.WrongOrderStatus):
        exchange_delivered_order_items(
            session,
            order_id=PROCESSED,
            item_ids=["5489028872"],
            new_item_ids=["6843647669"],
            payment_method_id=PAYPAL,
        )
    assert events(session) == []


def test_modify_user_address(session: Session):
    user = modify_user_address(session, user_id=OLIVIA, **NEW_ADDRESS, actor="shopper:olivia")
    assert user["address"] == NEW_ADDRESS
    assert user["orders"] == [DELIVERED, PROCESSED, PENDING_VISA, PENDING_VISA_2, PENDING_GIFT]
    assert get_order_details(session, order_id=PENDING_VISA)["address"]["city"] == "Denver"
    [event] = events(session)
    # An event of the shopper's account: it names the shopper, and no order.
    assert (event.order_id, event.shopper_id, event.kind) == (None, OLIVIA, "user_address_modified")
    assert event.payload["user_id"] == OLIVIA
    assert event.payload["before"]["address"]["city"] == "Denver"
    assert session.scalars(select(OrderEvent.kind).where(OrderEvent.shopper_id == OLIVIA)).all() == [
        "user_address_modified"
    ]
    with pytest.raises(errors.UserNotFound):
        modify_user_address(session, user_id="nobody_0000", **NEW_ADDRESS)


def test_reads(session: Session):
    assert run_operation(session, "find_user_id_by_email", {"email": "Olivia.Ito5204@example.com"}) == OLIVIA
    assert (
        run_operation(
            session, "find_user_id_by_name_zip", {"first_name": "olivia", "last_name": "ITO", "zip": "80218"}
        )
        == OLIVIA
    )
    with pytest.raises(errors.UserNotFound):
        run_operation(
            session, "find_user_id_by_name_zip", {"first_name": "Olivia", "last_name": "Ito", "zip": "1"}
        )
    with pytest.raises(errors.UserNotFound):
        run_operation(session, "find_user_id_by_email", {"email": "nobody@example.com"})
    user = run_operation(session, "get_user_details", {"user_id": OLIVIA})
    assert user["payment_methods"][GIFT_CARD] == {"source": "gift_card", "balance": 56, "id": GIFT_CARD}
    assert user["payment_methods"][VISA] == {
        "source": "credit_card",
        "brand": "visa",
        "last_four": "9182",
        "id": VISA,
    }
    product = run_operation(session, "get_product_details", {"product_id": "5713490933"})
    assert product["name"] == "Gaming Mouse"
    assert product["variants"]["7420906769"]["available"] is False
    with pytest.raises(errors.ProductNotFound):
        run_operation(
            session, "get_product_details", {"product_id": "3330317167"}
        )  # an item id, not a product's
    types = run_operation(session, "list_all_product_types", {})
    assert len(types) == 50
    assert list(types) == sorted(types)
    assert types["Gaming Mouse"] == "5713490933"
    assert run_operation(session, "transfer_to_human_agents", {"summary": "wants a refund in cash"}) == (
        "Transfer successful"
    )
    assert run_operation(session, "think", {"thought": "the order is pending"}) == ""
    assert events(session) == []


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("2 + 2", 4.0),
        ("(149.99 - 20) * 2", 259.98),
        ("-3 / 4", -0.75),
        ("10 / 3", 3.33),
        ("1.005 * 100", 100.5),
    ],
)
def test_calculate(expression: str, value: float):
    assert calculate(None, expression=expression) == value


@pytest.mark.parametrize(
    "expression",
    [
        "1 / 0",
        "__import__('os').system('true')",
        "2 ** 10",
        "2 +",
        "",
        "1e5",
        "(" * 300 + "1" + ")" * 300,
        "-" * 100_000 + "1",
    ],
)
def test_calculate_refuses_anything_but_arithmetic(expression: str):
    with pytest.raises(errors.InvalidExpression):
        calculate(None, expression=expression)


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("delete_everything", {}, "no order operation"),
        ("get_order_details", {}, "missing argument"),
        ("get_order_details", {"order_id": "#W5442520", "force": True}, "unknown argument"),
        ("get_order_details", {"order_id": 5442520}, "must be a string"),
        (
            "return_delivered_order_items",
            {"order_id": DELIVERED, "item_ids": "9727387530", "payment_method_id": PAYPAL},
            "must be an array",
        ),
        (
            "return_delivered_order_items",
            {"order_id": DELIVERED, "item_ids": [9727387530], "payment_method_id": PAYPAL},
            r"item_ids\[0\] must be a string",
        ),
        ("get_order_details", ["#W5442520"], "JSON object"),
    ],
)
def test_run_operation_validates_arguments(session: Session, name, arguments, message):
    with pytest.raises(InvalidInput, match=message):
        run_operation(session, name, arguments)


def test_run_operation_records_the_actor(session: Session):
    run_operation(
        session,
        "cancel_pending_order",
        {"order_id": PENDING_VISA, "reason": "no longer needed"},
        acting_user_id=OLIVIA,
        actor="shopper:olivia",
    )
    assert [(event.kind, event.actor) for event in events(session)] == [("order_cancelled", "shopper:olivia")]


@pytest.mark.parametrize(
    ("name", "arguments", "error"),
    [
        (
            "cancel_pending_order",
            {"order_id": OMARS_ORDER, "reason": "no longer needed"},
            errors.NotYourOrder,
        ),
        ("get_order_details", {"order_id": OMARS_ORDER}, errors.NotYourOrder),
        ("get_user_details", {"user_id": OMAR}, errors.NotYourAccount),
        ("modify_user_address", {"user_id": OMAR, **NEW_ADDRESS}, errors.NotYourAccount),
        ("find_user_id_by_email", {"email": "omar.silva4147@example.com"}, errors.NotYourAccount),
    ],
)
def test_a_shopper_cannot_touch_another_shoppers_orders_or_account(session: Session, name, arguments, error):
    before = export_retail(session)
    with pytest.raises(error) as raised:
        run_operation(session, name, arguments, acting_user_id=OLIVIA)
    assert isinstance(raised.value, Forbidden)
    session.flush()
    session.expire_all()
    assert export_retail(session) == before
    assert events(session) == []


def test_a_shopper_acts_on_their_own_orders(session: Session):
    assert (
        run_operation(session, "get_order_details", {"order_id": OMARS_ORDER}, acting_user_id=OMAR)["user_id"]
        == OMAR
    )
    assert (
        run_operation(
            session, "find_user_id_by_email", {"email": "olivia.ito5204@example.com"}, acting_user_id=OLIVIA
        )
        == OLIVIA
    )
    with pytest.raises(errors.OrderNotFound):
        run_operation(session, "get_order_details", {"order_id": "#W0000000"}, acting_user_id=OLIVIA)


def test_changes_are_committed_by_the_callers_unit_of_work(retail_db: Database):
    with retail_db.session() as session:
        cancel_pending_order(session, order_id=PENDING_GIFT, reason="ordered by mistake")
    with retail_db.session() as session:
        assert get_order_details(session, order_id=PENDING_GIFT)["status"] == "cancelled"
        assert session.get(PaymentMethod, GIFT_CARD).balance > 56
        assert len(events(session)) == 1
