"""The merchant's side in real Chromium: overview, the copilot's preview -> confirm -> undo with the audit log,
the studio with slot previews and fidelity reports, and store setup. Checks read the database or the API's files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopcopilot.catalog.models import Merchant, Product, Variant
from shopcopilot.storage.db import Database

pytestmark = pytest.mark.browser

MERCHANT = "everyday"


def sign_in_merchant(page) -> None:
    page.goto("/")
    page.click(f'[data-login="{MERCHANT}"]')
    page.wait_for_url("**/merchant")


def _snack_prices(database: Database) -> dict[str, float]:
    with database.session() as session:
        rows = session.execute(select(Variant.id, Variant.price).join(Product)
                               .where(Product.merchant_id == MERCHANT, Product.category_id == "snacks"))
        return dict(rows.all())


def test_overview_lists_the_stores_products(page, web_db: Database, shots) -> None:
    sign_in_merchant(page)
    page.wait_for_selector("[data-role=products] tbody tr")
    with web_db.session() as session:
        total = session.scalar(select(func.count()).select_from(Product).where(Product.merchant_id == MERCHANT))
    assert page.locator(".stat").first.inner_text() == str(total)
    page.screenshot(path=str(shots / "merchant_overview.png"))


def test_copilot_preview_confirm_undo_and_audit(page, web_db: Database, shots) -> None:
    before = _snack_prices(web_db)
    assert before
    sign_in_merchant(page)
    page.click("#tab-copilot")
    page.fill("#copilot-input", "raise all snacks by 5%")
    page.keyboard.press("Enter")
    preview = page.locator("[data-block=preview]").last
    preview.locator("[data-role=diff]").wait_for()
    assert _snack_prices(web_db) == before  # a preview changes nothing
    page.screenshot(path=str(shots / "merchant_copilot_preview.png"), full_page=True)

    preview.locator("[data-role=confirm]").click()
    preview.locator("[data-role=decided]").wait_for()
    after = _snack_prices(web_db)
    changed = [vid for vid in before if after[vid] != before[vid]]
    assert changed and all(after[vid] == round(before[vid] * 1.05, 2) for vid in changed)

    page.click("#tab-audit")
    row = page.locator("[data-role=audit] tbody tr").first
    assert "applied" in row.inner_text()
    page.screenshot(path=str(shots / "merchant_audit_log.png"))
    row.locator("[data-undo]").click()
    page.locator("[data-role=audit] tbody tr", has_text="undone").first.wait_for()
    assert _snack_prices(web_db) == before


def test_studio_renders_slots_with_fidelity_reports(page, shots) -> None:
    from studio.studio_samples import encode, labelled_product

    sign_in_merchant(page)
    page.click("#tab-studio")
    page.set_input_files("#studio-photo", files=[{"name": "tea.png", "mimeType": "image/png",
                                                    "buffer": encode(labelled_product())}])
    for box in page.locator("input[name=slot]").all():
        box.set_checked(box.get_attribute("value") == "square")
    page.click("#studio-run")
    slot = page.locator('[data-role=slots] [data-slot="square"]')
    slot.locator("[data-role=fidelity]").wait_for(timeout=120_000)
    assert slot.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert slot.locator("[data-role=pixels-changed]").inner_text().startswith("0 /")
    page.screenshot(path=str(shots / "merchant_studio.png"), full_page=True)


def test_store_setup_logo_and_theme(page, web_db: Database, shots) -> None:
    sign_in_merchant(page)
    page.click("#tab-store")
    page.fill("#name-words", "tea")
    page.click("#suggest-names")
    page.locator("[data-role=name-ideas] .chip").first.click()
    chosen = page.input_value("#store-name-input")
    assert "Tea" in chosen
    page.fill("#store-primary", "#2f6b3a")
    page.click("#save-theme")
    page.locator("[data-role=store-preview] img").wait_for()
    assert chosen in page.locator("[data-role=store-preview]").inner_text()
    with web_db.session() as session:
        theme = session.get(Merchant, MERCHANT).theme
    assert theme and theme["palette"]["primary"] == "#2f6b3a"
    assert "#2f6b3a" in page.locator("[data-role=store-preview]").inner_text()
    page.screenshot(path=str(shots / "merchant_store_setup.png"))


def test_listing_from_photo_draft_edit_publish(page, web_db: Database, shots) -> None:
    from studio.studio_samples import encode, labelled_product

    sign_in_merchant(page)
    page.click("#tab-listings")
    page.set_input_files("#listing-photos", files=[{"name": "tea.png", "mimeType": "image/png",
                                                      "buffer": encode(labelled_product())}])
    page.click("#make-draft")
    form = page.locator("#draft-form")
    form.wait_for(timeout=180_000)
    assert page.locator("[data-role=evidence] dt").count() > 0  # every drafted field says where it came from
    page.screenshot(path=str(shots / "merchant_listing_draft.png"), full_page=True)
    form.locator("#d-title").fill("Organic Tea Tin 500g")
    prices = form.locator("[data-role=variants] input[type=number][id^=v-price]")
    count = prices.count()
    assert count >= 1
    for index in range(count):
        prices.nth(index).fill(f"{12 + index}.50")
    form.locator("#publish").click()
    page.locator("[data-role=published]").wait_for(timeout=120_000)
    with web_db.session() as session:
        product = session.scalar(select(Product).where(Product.merchant_id == MERCHANT, Product.name == "Organic Tea Tin 500g"))
        assert product is not None
        assert sorted(v.price for v in product.variants) == [12.5 + i for i in range(count)]
    page.screenshot(path=str(shots / "merchant_listing_published.png"))
