"""The knowledge bases hold what the issue asks for, and chunk ids are stable."""

from __future__ import annotations

import importlib.util

from shopcopilot.knowledge.chunking import chunk_document
from shopcopilot.knowledge.documents import Document
from shopcopilot.knowledge.registry import KNOWLEDGE_DATA, default_knowledge_bases

ORDER_OPERATIONS = [
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


def _docs(name: str) -> list[Document]:
    return next(base for base in default_knowledge_bases() if base.name == name).documents()


def test_every_order_operation_has_a_how_to_page() -> None:
    pages = {doc.doc_id for doc in _docs("operations_howto")}
    assert set(ORDER_OPERATIONS) <= pages
    if importlib.util.find_spec("shopcopilot.commerce.order_ops"):
        from shopcopilot.commerce.order_ops import ORDER_OPERATIONS as specs

        assert set(specs) <= pages
    merchant_pages = pages - set(ORDER_OPERATIONS)
    assert {"change_variant_price", "create_coupon", "update_stock"} <= merchant_pages


def test_platform_rules_have_at_least_12_pages_in_both_languages() -> None:
    docs = _docs("platform_rules")
    english = {d.doc_id for d in docs if d.lang == "en"}
    chinese = {d.doc_id.removesuffix("-zh") for d in docs if d.lang == "zh"}
    assert len(english) >= 12
    assert english == chinese


def test_store_policy_is_the_retail_policy(retail_dir) -> None:
    docs = _docs("store_policy")
    original = next(d for d in docs if d.doc_id == "policy")
    assert original.text == (retail_dir / "policy.md").read_text(encoding="utf-8")


def test_chunk_ids_follow_headings_and_count_from_one() -> None:
    doc = Document(
        kb="t",
        doc_id="page",
        title="Page",
        lang="en",
        source="-",
        text="# Page\n\nIntro text that is long enough to stand on its own as one passage.\n\n"
        "## Cancel pending order\n\n- First rule, which is certainly long enough to be a passage on its own.\n"
        "- Second rule, which is certainly long enough to be a passage on its own too.\n\n"
        "### Sub part\n\nShort.\n\nMerged into the short lead-in above, as one passage here.\n",
    )
    chunks = chunk_document(doc)
    assert [c.chunk_id for c in chunks] == [
        "page#page-1",
        "page#cancel-pending-order-1",
        "page#cancel-pending-order-2",
        "page#sub-part-1",
    ]
    assert chunks[1].text.startswith("First rule") and chunks[1].headings == ("Cancel pending order",)
    assert chunks[3].headings == ("Cancel pending order", "Sub part") and chunks[3].text.startswith(
        "Short.\n"
    )


def test_knowledge_data_ships_in_the_package() -> None:
    assert (KNOWLEDGE_DATA / "knowledge_bases.json").exists()
    assert KNOWLEDGE_DATA.is_relative_to(importlib.util.find_spec("shopcopilot").origin.rsplit("/", 1)[0])  # type: ignore[union-attr]
