"""`shopcopilot merchant draft | chat` end to end: the real models on a drawn photo against the real retail store,
and a scripted copilot conversation against a small store; bad input is a clear error with exit code 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from skimage import data
from sqlalchemy import select

from mini_store import build_mini_store
from product_photos import product_photo
from shopcopilot.catalog.models import Variant
from shopcopilot.cli import main
from shopcopilot.merchant.models import MerchantOperation
from shopcopilot.storage.db import Database


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # SHOPCOPILOT_VAR stays the suite's (scripts/run_tests.sh): it holds the knowledge-base index the chat reuses
    monkeypatch.delenv("SHOPCOPILOT_LLM_URL", raising=False)  # the deterministic path, whatever the shell has


@pytest.fixture
def retail_cli(retail_db: Database, cli_env, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", retail_db.url)
    return retail_db


@pytest.fixture
def mini_cli(empty_db: Database, cli_env, monkeypatch: pytest.MonkeyPatch) -> Database:
    build_mini_store(empty_db)
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", empty_db.url)
    return empty_db


@pytest.fixture
def bottle(tmp_path: Path) -> Path:
    path = tmp_path / "bottle.png"
    path.write_bytes(product_photo(body=(30, 90, 200)))  # blue, 'AQUAPEAK / Water Bottle / Stainless Steel / 750 ml'
    return path


# -- merchant draft ---------------------------------------------------------------------------------------------------
def test_draft_reads_the_listing_off_the_photo(retail_cli, bottle, capsys) -> None:
    code, out, err = _run(capsys, "merchant", "draft", str(bottle), "--no-classifier")
    assert code == 0, err
    draft = json.loads(out)
    assert draft["brand"] == "AQUAPEAK" and draft["colours"][0]["name"] == "blue"
    assert draft["attributes"]["material"] == "stainless steel" and draft["attributes"]["capacity"] == "750ml"
    assert draft["title"] == "AQUAPEAK Stainless Steel Water Bottle 750ml - Blue"
    assert draft["category"]["id"] == "sports-fitness"  # where the retail store keeps its Water Bottle
    # priced from the store's own Water Bottle ($45.09-$54.85), not from the Bicycle in the same category
    band = draft["price_band"]
    assert [p["name"] for p in band["similar_products"]] == ["Water Bottle"] and band["method"] == "name"
    assert 45.09 <= band["low"] <= band["suggested"] <= band["high"] <= 54.85
    assert draft["evidence"]["price_band"] == band["basis"]
    assert band["basis"].startswith("Priced from the same product type in your store: Water Bottle (18 variants")
    assert draft["description"] == (
        "The AQUAPEAK Water Bottle is made of stainless steel and holds 750ml. Available in blue."
    )
    assert draft["variants"] == [
        {"options": {"color": "blue", "capacity": "750ml"}, "price": draft["price_band"]["suggested"], "stock": 0}
    ]
    assert draft["evidence"]["brand"].startswith("OCR")
    assert draft["evidence"]["classifier"].startswith("skipped")  # --no-classifier, not a missing install


def test_draft_uses_the_classifier_unless_told_not_to(retail_cli, tmp_path, capsys) -> None:
    photo = tmp_path / "coffee.jpg"
    Image.fromarray(data.coffee()).save(photo, quality=92)
    code, out, err = _run(capsys, "merchant", "draft", str(photo))
    assert code == 0, err
    labels = [entry["label"] for entry in json.loads(out)["evidence"]["classifier"]]
    assert {"espresso", "cup", "coffee mug"} & set(labels[:3])


def test_draft_refuses_bad_input_with_a_clear_message(retail_cli, bottle, tmp_path, capsys) -> None:
    code, out, err = _run(capsys, "merchant", "draft", str(tmp_path / "missing.jpg"), "--no-classifier")
    assert (code, out) == (2, "") and f"image file not found: {tmp_path / 'missing.jpg'}" in err

    notes = tmp_path / "notes.png"
    notes.write_text("not a photo")
    code, out, err = _run(capsys, "merchant", "draft", str(notes), "--no-classifier")
    assert (code, out) == (2, "") and "not an image" in err

    truncated = tmp_path / "truncated.jpg"
    buffer = io.BytesIO()
    Image.fromarray(data.coffee()).save(buffer, "JPEG", quality=92)
    truncated.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])
    code, out, err = _run(capsys, "merchant", "draft", str(truncated), "--no-classifier")
    assert (code, out) == (2, "") and "damaged" in err

    code, out, err = _run(capsys, "merchant", "draft", str(bottle), "--no-classifier", "--merchant", "nosuch")
    assert (code, out) == (2, "") and "no merchant 'nosuch' in the database" in err

    code, out, err = _run(capsys, "merchant", "draft", *[str(bottle)] * 6, "--no-classifier")
    assert (code, out) == (2, "") and "at most 5 photos" in err


# -- merchant chat ----------------------------------------------------------------------------------------------------
def _blocks(out: str) -> list[dict]:
    """The JSON blocks (previews, results, operations) the chat printed, one per line."""
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _prices(db: Database) -> dict[str, float]:
    with db.session() as s:
        return {v.id: v.price for v in s.scalars(select(Variant).where(Variant.product_id == "p1"))}


def test_chat_answers_with_citations_previews_and_applies(mini_cli, tmp_path, capsys) -> None:
    script = tmp_path / "morning.txt"
    script.write_text(
        "# a merchant's morning\n"
        "What is the largest saving a store coupon may give?\n"
        "\n"
        "raise the price of headphones by 10%\n"
        "confirm\n"
        "list pending orders\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script))
    assert code == 0, err
    assert "> What is the largest saving a store coupon may give?" in out and "a merchant's morning" not in out
    assert "50% of the threshold" in out and "  [1] platform_rules/Store coupon rules" in out

    preview, applied, orders = _blocks(out)
    assert preview["type"] == "preview" and preview["operation"] == "change_prices"
    assert {row["id"]: (row["before"], row["after"]) for row in preview["diff"]} == {
        "v1": (100.0, 110.0),
        "v2": (110.0, 121.0),
        "v5": (95.0, 104.5),
    }
    assert "Reply 'confirm' to apply this change" in out
    assert applied["type"] == "operation" and applied["operation"]["status"] == "applied"
    assert _prices(mini_cli) == {"v1": 110.0, "v2": 121.0, "v5": 104.5}
    assert [o["order_id"] for o in orders["result"]["orders"]] == ["#W1000001"]  # m1's pending order only

    # a second script in the same session continues it: 'undo' reverts the change the first one applied
    undo = tmp_path / "undo.txt"
    undo.write_text("undo\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(undo))
    assert code == 0, err
    assert _blocks(out)[0]["operation"]["status"] == "undone" and "was reverted" in out
    assert _prices(mini_cli) == {"v1": 100.0, "v2": 110.0, "v5": 95.0}
    with mini_cli.session() as s:
        assert [(op.merchant_id, op.session_id, op.status) for op in s.scalars(select(MerchantOperation))] == [
            ("m1", "m1:cli", "undone")
        ]


def test_chat_keeps_to_the_merchants_own_store(mini_cli, tmp_path, capsys) -> None:
    script = tmp_path / "other.txt"
    script.write_text("raise the price of headphones by 10%\nconfirm\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m2", "--script", str(script))
    assert code == 0, err
    assert "nothing in your store matches" in out and "no change waiting for confirmation" in out
    assert _blocks(out) == [] and _prices(mini_cli) == {"v1": 100.0, "v2": 110.0, "v5": 95.0}


def test_chat_refuses_bad_input_with_a_clear_message(mini_cli, tmp_path, capsys) -> None:
    script = tmp_path / "script.txt"
    script.write_text("list pending orders\n", encoding="utf-8")

    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "nosuch", "--script", str(script))
    assert (code, out) == (2, "") and "no merchant 'nosuch' in the database" in err

    missing = tmp_path / "missing.txt"
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(missing))
    assert (code, out) == (2, "") and f"no script {missing}" in err

    comments = tmp_path / "comments.txt"
    comments.write_text("# nothing to say\n\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(comments))
    assert (code, out) == (2, "") and "has no messages" in err

    binary = tmp_path / "photo.png"
    binary.write_bytes(product_photo())
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(binary))
    assert (code, out) == (2, "") and "is not UTF-8 text" in err


def test_chat_prints_a_large_preview_as_whole_json(mini_cli, tmp_path, capsys) -> None:
    # 60 more headphone variants: the preview's diff is far longer than the 2,000 characters a block was cut at
    with mini_cli.session() as s:
        s.add_all(
            Variant(id=f"x{n:02d}", product_id="p1", options={"color": f"shade {n:02d}"}, price=50.0, position=10 + n)
            for n in range(60)
        )
    script = tmp_path / "raise.txt"
    script.write_text("raise the price of headphones by 10%\nconfirm\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script))
    assert code == 0, err
    json_lines = [line for line in out.splitlines() if line.startswith("{")]
    preview, applied = [json.loads(line) for line in json_lines]  # every block line is a whole JSON document
    assert len(json_lines[0]) > 2000  # the line the old 2,000-character cut made invalid
    assert preview["summary"] == "change the price of 63 variant(s) +10%"
    assert len(preview["diff"]) == 20 and preview["diff_left_out"] == 43
    assert preview["diff"][0]["id"] == "v1" and "rejected_left_out" not in preview
    assert applied["operation"]["status"] == "applied" and applied["operation"]["diff_left_out"] == 43
    with mini_cli.session() as s:  # the shortening is only what is printed: every variant changed
        prices = {v.id: v.price for v in s.scalars(select(Variant).where(Variant.product_id == "p1"))}
    assert len(prices) == 63 and prices["x59"] == 55.0 and prices["v1"] == 110.0

    script.write_text("raise the price of headphones by 1%\ncancel\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script), "--max-rows", "0")
    assert code == 0, err
    [preview] = _blocks(out)
    assert len(preview["diff"]) == 63 and "diff_left_out" not in preview


def test_chat_on_a_database_without_tables_says_what_to_run(cli_env, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    script = tmp_path / "script.txt"
    script.write_text("list pending orders\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script))
    assert (code, out) == (2, "") and "shopcopilot db upgrade" in err


def test_chat_in_chinese_names_products_and_answers_in_chinese(mini_cli, tmp_path, capsys) -> None:
    script = tmp_path / "zh.txt"
    script.write_text("把头戴式耳机涨价10%\n确认\n撤销\n哪些订单待处理\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script))
    assert code == 0, err
    preview = _blocks(out)[0]
    assert preview["arguments"] == {"scope": {"product": "Headphones"}, "percent": 10.0}
    assert "将 3 个规格的价格调整 +10%。 回复“确认”执行此变更" in out
    assert "已完成：将 3 个规格的价格调整 +10%" in out and "已撤销：#1（将 3 个规格的价格调整 +10%）已还原" in out
    assert "1 个状态为“待处理”的订单包含您的商品" in out
    assert _prices(mini_cli) == {"v1": 100.0, "v2": 110.0, "v5": 95.0}


def test_a_chinese_everyday_word_finds_the_product() -> None:
    from shopcopilot.merchant.function_finder import FunctionFinder

    found = FunctionFinder().find("把所有背包降价5%")
    assert (found.operation, found.arguments) == ("change_prices", {"scope": {"product": "Backpack"}, "percent": -5.0})


def test_a_chinese_word_for_two_products_is_asked_about_not_guessed(mini_cli, tmp_path, capsys) -> None:
    script = tmp_path / "zh-ambiguous.txt"
    script.write_text("耳机涨价10%\n把东西涨价\n", encoding="utf-8")
    code, out, err = _run(capsys, "merchant", "chat", "--merchant", "m1", "--script", str(script))
    assert code == 0, err
    assert "这可能是指：头戴式耳机、无线耳机。请说明是哪一个商品。" in out
    assert "要执行这个操作，还需要：调整幅度（百分比或新价格）。" in out and "scope" not in out
    assert not _blocks(out)  # nothing previewed, nothing changed
    assert _prices(mini_cli) == {"v1": 100.0, "v2": 110.0, "v5": 95.0}
