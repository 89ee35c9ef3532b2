"""The merchant operations copilot: one chat turn.

A turn is one of: confirm / cancel / undo of the session's operation; copy for a product ("write ad lines for the
backpack"); a backend operation found by the function finder (read-only ones answer at once, consequential ones
answer with a dry-run preview that waits for "confirm"); otherwise a question for the knowledge bases (store policy,
platform rules, operations how-to), answered with citations. Every turn returns blocks and a trace of what ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.language import detect_language
from shopcopilot.catalog.models import Product
from shopcopilot.errors import ShopcopilotError
from shopcopilot.merchant import audit
from shopcopilot.merchant.copywriting import product_copy
from shopcopilot.merchant.function_finder import FoundOperation, FunctionFinder
from shopcopilot.merchant.models import MerchantOperation
from shopcopilot.merchant.operations import OPERATIONS
from shopcopilot.merchant.summaries import describe, describe_warnings
from shopcopilot.storage.db import Database

MERCHANT_KBS = ("platform_rules", "operations_howto", "store_policy")
_CONFIRM = re.compile(
    r"^(confirm|yes|y|ok|okay|apply|go ahead|do it|确认|是的|好的|执行|确定)[.!。！]?$", re.I
)
_CANCEL = re.compile(r"^(cancel|no|n|stop|never mind|取消|不要|算了)[.!。！]?$", re.I)
_UNDO = re.compile(
    r"^(undo|revert|roll ?back|undo that|undo the last change|撤销|撤回|回滚|撤销上一步)[.!。！]?$", re.I
)
_COPY = re.compile(r"\b(ad lines?|ads?|titles?|copy|slogans?|tagline)\b.*\bfor\b|广告语|文案|写.*标题", re.I)

TEXT = {
    "confirm_prompt": {
        "en": "Reply 'confirm' to apply this change, or 'cancel'.",
        "zh": "回复“确认”执行此变更，或回复“取消”。",
    },
    "nothing_pending": {"en": "There is no change waiting for confirmation.", "zh": "当前没有待确认的变更。"},
    "nothing_to_undo": {
        "en": "There is no applied change to undo in this conversation.",
        "zh": "本次对话中没有可撤销的变更。",
    },
    "applied": {
        "en": "Done: {summary}. It is in the audit log as #{id}; say 'undo' to revert it.",
        "zh": "已完成：{summary}。已记入审计日志 #{id}；回复“撤销”可还原。",
    },
    "cancelled": {"en": "Cancelled; nothing was changed.", "zh": "已取消，没有做任何修改。"},
    "undone": {"en": "Undone: #{id} ({summary}) was reverted.", "zh": "已撤销：#{id}（{summary}）已还原。"},
    "missing": {"en": "To do that I need: {missing}.", "zh": "要执行这个操作，还需要：{missing}。"},
    "refused": {"en": "I could not do that: {message}", "zh": "无法执行：{message}"},
    "which_product": {
        "en": "That could be any of: {names}. Which product do you mean?",
        "zh": "这可能是指：{names}。请说明是哪一个商品。",
    },
}
MISSING_LABELS = {
    "scope": {"en": "which products (a product name, a category or variant ids)",
              "zh": "哪些商品（商品名、品类或规格编号）"},
    "percent or price": {"en": "the change (a percentage or a new price)", "zh": "调整幅度（百分比或新价格）"},
    "kind and amounts": {"en": "the coupon (for example spend 200 save 20)", "zh": "优惠券内容（例如满200减20）"},
    "arguments": {"en": "the details (what to change and how)", "zh": "具体内容（改什么、怎么改）"},
}


def say(key: str, lang: str, **values: Any) -> str:
    return TEXT[key].get(lang, TEXT[key]["en"]).format(**values)


@dataclass
class CopilotTurn:
    session_id: str
    language: str
    blocks: list[dict] = field(default_factory=list)
    trace: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "session_id": self.session_id,
            "language": self.language,
            "blocks": self.blocks,
            "trace": self.trace,
        }


class MerchantCopilot:
    def __init__(
        self,
        database: Database,
        *,
        knowledge: Any | None = None,
        llm: Any | None = None,
        finder: FunctionFinder | None = None,
    ) -> None:
        self.database = database
        self._knowledge = knowledge
        self.llm = llm
        self.finder = finder or FunctionFinder()

    @property
    def knowledge(self):
        if self._knowledge is None:
            from shopcopilot.knowledge.registry import default_service

            self._knowledge = default_service()
        return self._knowledge

    def turn(self, merchant_id: str, session_id: str, message: str) -> CopilotTurn:
        text = message.strip()
        lang = detect_language(text)
        turn = CopilotTurn(session_id, lang, trace={"message": text, "steps": []})
        with self.database.session() as session:
            try:
                if _CONFIRM.match(text):
                    self._confirm(session, merchant_id, turn)
                elif _CANCEL.match(text):
                    self._cancel(session, merchant_id, turn)
                elif _UNDO.match(text):
                    self._undo(session, merchant_id, turn)
                elif _COPY.search(text) and self._copy(session, merchant_id, text, turn):
                    pass
                else:
                    found = self.finder.find(text)
                    turn.trace["steps"].append({"step": "function_finder", **found.to_dict()})
                    if found.operation:
                        self._operation(session, merchant_id, text, found, turn)
                    else:
                        self._knowledge_answer(text, turn)
            except ShopcopilotError as exc:
                # The operation was refused (not found, a rule, a stale preview): nothing changed, say why.
                session.rollback()
                turn.blocks.append({"type": "text", "text": say("refused", lang, message=exc.message)})
                turn.trace["steps"].append({"step": "refused", "code": exc.code, "message": exc.message})
        return turn

    # -- transactions -------------------------------------------------------------------------------------------------
    def _latest(
        self, session: Session, merchant_id: str, session_id: str, status: str
    ) -> MerchantOperation | None:
        rows = audit.list_operations(session, merchant_id, status=status, session_id=session_id, limit=1)
        return rows[0] if rows else None

    def _confirm(self, session: Session, merchant_id: str, turn: CopilotTurn) -> None:
        row = self._latest(session, merchant_id, turn.session_id, "previewed")
        if row is None:
            turn.blocks.append({"type": "text", "text": say("nothing_pending", turn.language)})
            return
        audit.confirm_operation(session, merchant_id, row.id)
        turn.trace["steps"].append({"step": "confirm", "operation_id": row.id, "operation": row.operation})
        turn.blocks.append({"type": "operation", "operation": audit.operation_view(row)})
        turn.blocks.append(
            {"type": "text", "text": say("applied", turn.language, summary=self._summary(row, turn.language), id=row.id)}
        )

    def _cancel(self, session: Session, merchant_id: str, turn: CopilotTurn) -> None:
        row = self._latest(session, merchant_id, turn.session_id, "previewed")
        if row is None:
            turn.blocks.append({"type": "text", "text": say("nothing_pending", turn.language)})
            return
        audit.cancel_operation(session, merchant_id, row.id)
        turn.trace["steps"].append({"step": "cancel", "operation_id": row.id})
        turn.blocks.append({"type": "text", "text": say("cancelled", turn.language)})

    def _undo(self, session: Session, merchant_id: str, turn: CopilotTurn) -> None:
        row = self._latest(session, merchant_id, turn.session_id, "applied")
        if row is None:
            turn.blocks.append({"type": "text", "text": say("nothing_to_undo", turn.language)})
            return
        row, restored = audit.undo_operation(session, merchant_id, row.id)
        turn.trace["steps"].append({"step": "undo", "operation_id": row.id, "restored": restored})
        turn.blocks.append({"type": "operation", "operation": audit.operation_view(row)})
        turn.blocks.append(
            {"type": "text", "text": say("undone", turn.language, id=row.id, summary=self._summary(row, turn.language))}
        )

    def _operation(
        self, session: Session, merchant_id: str, text: str, found: FoundOperation, turn: CopilotTurn
    ) -> None:
        if found.missing:
            candidates = self.finder.chinese_matches(text) if "scope" in found.missing else []
            if len(candidates) > 1:
                names = ("、".join(self.finder.chinese_name(c) for c in candidates) if turn.language == "zh"
                         else ", ".join(candidates))
                turn.blocks.append({"type": "text", "text": say("which_product", turn.language, names=names)})
                return
            labels = [MISSING_LABELS.get(m, {}).get(turn.language, m) for m in found.missing]
            turn.blocks.append({"type": "text", "text": say("missing", turn.language, missing="、".join(labels)
                                                            if turn.language == "zh" else ", ".join(labels))})
            return
        arguments = dict(found.arguments)
        if found.operation == "edit_title" and "product" in arguments:
            arguments["product_id"] = self._product_id(session, merchant_id, arguments.pop("product"))
        preview, row = audit.preview_operation(
            session,
            merchant_id,
            found.operation,
            arguments,
            session_id=turn.session_id,
            request=text,  # type: ignore[arg-type]
        )
        turn.trace["steps"].append(
            {
                "step": "preview",
                "operation": found.operation,
                "arguments": arguments,
                "operation_id": row.id if row else None,
            }
        )
        block = {"type": "preview" if row else "result", **preview.to_dict()}
        if row is not None:
            block["operation_id"] = row.id
        turn.blocks.append(block)
        summary = describe(preview.operation, preview.arguments, preview.diff, turn.language, preview.summary,
                           preview.result)
        lines = [summary + ("。" if turn.language == "zh" else ".")]
        lines += describe_warnings(preview.warnings, preview.rejected, turn.language)
        if row is not None:
            lines.append(say("confirm_prompt", turn.language))
        turn.blocks.append({"type": "text", "text": " ".join(lines)})

    @staticmethod
    def _summary(row: MerchantOperation, language: str) -> str:
        return describe(row.operation, row.arguments or {}, row.diff or [], language, row.summary)

    def _product_id(self, session: Session, merchant_id: str, name: str) -> str:
        products = session.scalars(select(Product).where(Product.merchant_id == merchant_id)).all()
        for product in products:
            if name.lower() in (product.name.lower(), (product.name_zh or "").lower(), product.id.lower()):
                return product.id
        return name  # not the merchant's: the operation answers "not found"

    # -- copy and knowledge -------------------------------------------------------------------------------------------
    def _copy(self, session: Session, merchant_id: str, text: str, turn: CopilotTurn) -> bool:
        name = self.finder.product_in(text)
        if name is None:
            return False
        result = product_copy(session, merchant_id, self._product_id(session, merchant_id, name), self.llm)
        turn.trace["steps"].append(
            {
                "step": "copywriting",
                "product_id": result["product_id"],
                "mode": result["mode"],
                "grounding": result["grounding"],
            }
        )
        turn.blocks.append({"type": "copy", **result})
        return True

    def _knowledge_answer(self, text: str, turn: CopilotTurn) -> None:
        from shopcopilot.knowledge.answer import answer_question, answer_with_llm

        service = self.knowledge
        routes = [name for name, _ in service.router.route(text) if name in MERCHANT_KBS] or list(
            MERCHANT_KBS
        )
        if self.llm is not None:
            answer = answer_with_llm(text, self.llm, lang=turn.language, kbs=routes, service=service)
        else:
            answer = answer_question(text, lang=turn.language, kbs=routes, service=service)
        turn.trace["steps"].append(
            {
                "step": "knowledge",
                "kbs": routes,
                "mode": answer.mode,
                "fallback_reason": answer.fallback_reason,
            }
        )
        turn.blocks.append(
            {
                "type": "answer",
                "text": answer.text,
                "citations": [
                    {"kb": c.kb, "chunk_id": c.chunk_id, "title": c.title, "quote": c.quote}
                    for c in answer.citations
                ],
            }
        )


def operation_names() -> list[str]:
    return list(OPERATIONS)
