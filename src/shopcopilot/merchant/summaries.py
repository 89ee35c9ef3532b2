"""What an operation will do (or did), said in the merchant's language. The English summary is stored with the
operation in the audit log; the Chinese one is built from the same operation, arguments and diff when shown."""

from __future__ import annotations

from typing import Any

_STATUS_ZH = {"pending": "待处理", "processed": "已处理", "delivered": "已送达", "cancelled": "已取消"}


def _changed(diff: list[dict]) -> int:
    return sum(1 for row in diff if not row.get("rejected"))


def describe(operation: str, arguments: dict, diff: list[dict], language: str, english: str,
             result: Any = None) -> str:
    """`english` as it is, or its Chinese counterpart (falling back to `english` for an operation not listed)."""
    if language != "zh":
        return english
    n = _changed(diff)
    if operation == "change_prices":
        percent = arguments.get("percent")
        how = f"调整 {float(percent):+g}%" if percent is not None else f"改为 ${float(arguments.get('price', 0)):.2f}"
        return f"将 {n} 个规格的价格{how}"
    if operation == "set_stock":
        return f"将 {n} 个规格的库存设为 {arguments.get('stock')}"
    if operation == "set_availability":
        return f"将 {n} 个规格标记为{'有货' if arguments.get('available') else '缺货（不可购买）'}"
    if operation == "edit_title":
        return f"修改商品 {arguments.get('product_id') or (diff[0].get('id') if diff else '')} 的标题"
    if operation == "create_coupon" and diff:
        fields = diff[0].get("after") or {}
        scope = f"，限品类 {fields['category_id']}" if fields.get("category_id") else ""
        return f"创建优惠券“{fields.get('title', '')}”{scope}，有效期至 {str(fields.get('valid_to', ''))[:10]}"
    if operation == "list_orders" and isinstance(result, dict):
        status = arguments.get("status")
        what = f"状态为“{_STATUS_ZH.get(status, status)}”的" if status else ""
        shown = len(result.get("orders", []))
        more = f"；显示前 {shown} 个" if result.get("total", 0) > shown else ""
        return f"{result.get('total', 0)} 个{what}订单包含您的商品{more}"
    return english


def describe_warnings(warnings: list[str], rejected: list[dict], language: str) -> list[str]:
    if language != "zh":
        return warnings
    return [f"{len(rejected)} 个规格未改动，原因见 rejected" if "left unchanged" in w else w for w in warnings]
