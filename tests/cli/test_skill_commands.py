"""`shopcopilot coupons fill | compare | plan | post` against a real demo store."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.cli import main
from shopcopilot.commerce.carts import add_line
from shopcopilot.commerce.models import Order
from shopcopilot.demo import load_demo_store
from shopcopilot.storage.db import Database


@pytest.fixture
def demo_db(empty_db: Database, retail_dir, monkeypatch: pytest.MonkeyPatch) -> Database:
    load_demo_store(empty_db, retail_dir, index=False)
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", empty_db.url)
    return empty_db


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_skill_commands(demo_db: Database, capsys: pytest.CaptureFixture) -> None:
    shopper = "ava_moore_2033"
    with demo_db.session() as session:
        kettle = session.scalars(
            select(Variant)
            .join(Product)
            .where(Product.name == "Electric Kettle", Variant.available.is_(True))
        ).first()
        add_line(session, shopper, kettle.id, 1)
        ids = [
            session.scalar(select(Product.id).where(Product.name == n))
            for n in ("Electric Kettle", "Tea Kettle")
        ]
        order = session.scalars(
            select(Order).where(Order.shopper_id == shopper, Order.status == "delivered")
        ).first()

    code, out, _ = _run(capsys, "coupons", "fill", "--shopper", shopper, "--json")
    result = json.loads(out)
    assert code == 0 and result["cart_subtotal"] == pytest.approx(kettle.price)
    code, out, _ = _run(capsys, "coupons", "fill", "--shopper", shopper)
    assert code == 0 and result["explanation"] in out

    code, out, _ = _run(capsys, "compare", *ids, "--need", "boil water cheaply")
    assert code == 0 and "My pick:" in out and "price" in out

    code, out, _ = _run(capsys, "plan", "dish_hot_pot", "--budget", "80", "--language", "zh")
    assert code == 0 and "在家吃火锅" in out and "1. 锅底" in out
    code, _, err = _run(capsys, "plan", "nothing")
    assert code == 2 and "no plan" in err

    code, out, _ = _run(capsys, "post", "--shopper", shopper, "--order", order.id, "--tone", "playful")
    assert code == 0 and "(draft)" in out and order.id in out
    code, _, err = _run(capsys, "post", "--shopper", shopper, "--order", order.id, "--tone", "grumpy")
    assert code == 2 and "tone" in err
