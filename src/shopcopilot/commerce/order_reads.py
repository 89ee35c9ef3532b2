"""The order operations that change nothing: look a shopper up, read a profile, an order or a product, list the
product types, do arithmetic, hand over to a person, think."""

from __future__ import annotations

import ast
import operator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Product
from shopcopilot.catalog.retail_io import order_record, product_record, shopper_order_ids, user_record
from shopcopilot.commerce.errors import InvalidExpression, ProductNotFound, UserNotFound
from shopcopilot.commerce.models import Shopper
from shopcopilot.commerce.order_writes import get_order


def find_user_id_by_email(session: Session, *, email: str) -> str:
    user_id = session.scalar(
        select(Shopper.id)
        .where(func.lower(Shopper.email) == email.strip().lower())
        .order_by(Shopper.id)
        .limit(1)
    )
    if user_id is None:
        raise UserNotFound(
            f"no shopper has the email {email!r}; check it, or look the shopper up by name and zip"
        )
    return user_id


def find_user_id_by_name_zip(session: Session, *, first_name: str, last_name: str, zip: str) -> str:
    user_id = session.scalar(
        select(Shopper.id)
        .where(
            func.lower(Shopper.first_name) == first_name.strip().lower(),
            func.lower(Shopper.last_name) == last_name.strip().lower(),
            Shopper.address["zip"].as_string() == zip.strip(),
        )
        .order_by(Shopper.id)
        .limit(1)
    )
    if user_id is None:
        raise UserNotFound(
            f"no shopper named {first_name} {last_name} lives at zip {zip!r}; check them, or look up by email"
        )
    return user_id


def get_user_details(session: Session, *, user_id: str) -> dict[str, Any]:
    shopper = session.get(Shopper, user_id)
    if shopper is None:
        raise UserNotFound(f"no shopper has the user id {user_id!r}; look it up by email or by name and zip")
    return user_record(shopper, shopper_order_ids(session, user_id))


def get_order_details(session: Session, *, order_id: str) -> dict[str, Any]:
    return order_record(get_order(session, order_id))


def get_product_details(session: Session, *, product_id: str) -> dict[str, Any]:
    product = session.get(Product, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product_record(product)


def list_all_product_types(session: Session) -> dict[str, str]:
    """Product name -> product id, by name."""
    return dict(session.execute(select(Product.name, Product.id).order_by(Product.name, Product.id)).all())


_ARITHMETIC_CHARACTERS = frozenset("0123456789+-*/(). ")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}


def calculate(session: Session, *, expression: str) -> float:
    """The value of an arithmetic expression (numbers, + - * /, parentheses), rounded to 2 decimals.
    Parsed into a syntax tree and evaluated node by node: nothing is ever executed."""
    shown = repr(expression if len(expression) <= 60 else expression[:57] + "...")
    if not expression.strip() or not set(expression) <= _ARITHMETIC_CHARACTERS:
        raise InvalidExpression(
            f"{shown} is not arithmetic: use numbers, + - * /, parentheses and spaces only"
        )
    try:
        return round(float(_evaluate(ast.parse(expression.strip(), mode="eval").body)), 2)
    except ZeroDivisionError:
        raise InvalidExpression(f"{shown} divides by zero") from None
    except (RecursionError, MemoryError):
        raise InvalidExpression(f"{shown} is too deeply nested to evaluate; split it up") from None
    except (SyntaxError, ValueError, OverflowError):
        raise InvalidExpression(f"{shown} is not a complete arithmetic expression") from None


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    raise ValueError(f"unsupported {type(node).__name__}")


def transfer_to_human_agents(session: Session, *, summary: str) -> str:
    """Hand the conversation to a person; the summary travels with it. Changes nothing in the store."""
    return "Transfer successful"


def think(session: Session, *, thought: str) -> str:
    """A note to oneself while reasoning; changes nothing."""
    return ""
