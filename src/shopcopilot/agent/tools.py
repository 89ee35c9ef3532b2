"""The typed tool registry. Every action the assistant takes is a tool call: validated against its JSON schema,
checked by the policy guard (ownership, confirmation), timed, summarised and recorded in the trace.

The rule planner's skills call tools through `ToolRegistry.call`; an LLM planner will propose calls to the same
tools and go through the same checks.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.agent.trace import ToolCall, Trace
from shopcopilot.errors import InvalidInput, NotFound, ShopcopilotError


class ToolError(ShopcopilotError):
    status_code = 422
    code = "tool_error"


@dataclass
class ToolContext:
    """What a tool may see: the unit of work, who is acting, and shared resources (search engine, ...)."""

    session: Session
    shopper_id: str | None
    """The token owner (None for a guest)."""
    authenticated_user_id: str | None
    """The user authenticated in this conversation (the token owner, or a guest after authentication)."""
    language: str = "en"
    resources: dict[str, Any] = field(default_factory=dict)
    actor: str = "assistant"


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    function: Callable[[ToolContext, dict[str, Any]], Any]
    consequential: bool = False
    summarize: Callable[[Any], str] | None = None
    needs_authentication: bool = False

    def spec(self) -> dict[str, Any]:
        """OpenAI-style function spec (what an LLM planner is shown)."""
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


def validate_arguments(schema: dict[str, Any], arguments: Any, path: str = "arguments") -> None:
    """Validate the subset of JSON Schema tools use: type, required, properties, enum, items, additionalProperties."""
    expected = schema.get("type")
    if expected:
        kinds = expected if isinstance(expected, list) else [expected]
        ok = any(
            isinstance(arguments, _JSON_TYPES.get(kind, (object,)))
            and not (kind in ("integer", "number") and isinstance(arguments, bool))
            for kind in kinds
        ) or ("null" in kinds and arguments is None)
        if not ok:
            raise InvalidInput(f"{path} must be of type {expected}")
    if "enum" in schema and arguments not in schema["enum"]:
        raise InvalidInput(f"{path} must be one of {schema['enum']}")
    if isinstance(arguments, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in arguments:
                raise InvalidInput(f"{path}.{name} is required")
        if schema.get("additionalProperties") is False:
            unknown = sorted(set(arguments) - set(properties))
            if unknown:
                raise InvalidInput(f"{path} has unknown fields: {', '.join(unknown)}")
        for name, value in arguments.items():
            if name in properties:
                validate_arguments(properties[name], value, f"{path}.{name}")
    if isinstance(arguments, list | tuple) and "items" in schema:
        for index, value in enumerate(arguments):
            validate_arguments(schema["items"], value, f"{path}[{index}]")


def _default_summary(result: Any) -> str:
    if result is None:
        return "ok"
    if isinstance(result, list):
        return f"{len(result)} results"
    if isinstance(result, dict):
        keys = ", ".join(list(result)[:6])
        return f"object with {keys}"
    text = str(result)
    return text if len(text) <= 120 else text[:117] + "..."


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def register(self, tool: Tool) -> Tool:
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name} is registered twice")
        self._tools[tool.name] = tool
        return tool

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise NotFound(f"unknown tool {name!r}") from None

    def names(self) -> list[str]:
        return sorted(self._tools)

    def specs(self) -> list[dict[str, Any]]:
        return [self._tools[name].spec() for name in self.names()]

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def call(
        self,
        name: str,
        arguments: dict[str, Any],
        ctx: ToolContext,
        trace: Trace,
        *,
        confirmed: bool = False,
    ) -> Any:
        """Validate, guard, run and record one tool call. Errors are recorded in the trace and re-raised."""
        from shopcopilot.agent.guard import check_tool_call

        started = time.perf_counter()
        record = ToolCall(name=name, arguments=_jsonable(arguments))
        trace.tool_calls.append(record)
        try:
            tool = self.get(name)
            validate_arguments(tool.parameters, arguments)
            check_tool_call(tool, arguments, ctx, confirmed=confirmed)
            result = tool.function(ctx, arguments)
            if isinstance(result, str):
                # The order operations answer JSON text, as tau-bench tools do.
                with contextlib.suppress(ValueError):
                    result = json.loads(result)
            record.summary = (tool.summarize or _default_summary)(result)
            return result
        except ShopcopilotError as exc:
            record.ok = False
            record.error = f"{exc.code}: {exc.message}"
            raise
        except Exception as exc:  # a tool bug must not take the conversation down; it is recorded
            record.ok = False
            record.error = f"{type(exc).__name__}: {exc}"
            raise ToolError(f"{name} failed: {exc}") from exc
        finally:
            record.ms = (time.perf_counter() - started) * 1000.0


def _jsonable(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return str(value)
