"""Parse untrusted JSON with a bound on nesting, so no input can exhaust the parser's stack."""

from __future__ import annotations

import json
import re
from typing import Any

from unspun.errors import BadInput

#: Deepest nesting of arrays and objects accepted in one JSON document (a record, a request).
MAX_DEPTH = 100

# A JSON string (whose brackets do not count) or one bracket.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def nesting_depth(data: bytes, *, stop_at: int = MAX_DEPTH) -> int:
    """How deeply arrays and objects nest in JSON ``data`` (stops counting past ``stop_at``).

    Brackets inside strings do not count.
    """
    depth = deepest = 0
    for match in _TOKEN.finditer(data):
        char = match.group()[:1]
        if char in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
        elif char in (b"]", b"}"):
            depth -= 1
    return deepest


def loads(data: bytes | str, *, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document, refusing nesting deeper than ``max_depth``.

    Args:
        data: The JSON text (UTF-8 bytes or str).
        where: What to name in the error (a file, ``path#line=N``, ``request body``).
        max_depth: The deepest nesting accepted.

    Returns:
        The parsed value.

    Raises:
        BadInput: not UTF-8, not valid JSON, or nested too deeply.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    # A cheap count of opening brackets answers most inputs without scanning them.
    if (raw.count(b"[") + raw.count(b"{") > max_depth
            and nesting_depth(raw, stop_at=max_depth) > max_depth):
        raise BadInput(where, f"JSON nested more than {max_depth} levels deep")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise BadInput(where, "not UTF-8") from None
    except RecursionError:  # a bound above the stack's would still end here, as one line
        raise BadInput(where, f"JSON nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError as exc:
        raise BadInput(where, f"not valid JSON ({json_reason(exc)})") from None
    except ValueError as exc:  # e.g. a number too long to convert
        raise BadInput(where, f"not valid JSON ({exc})") from None


def json_reason(exc: json.JSONDecodeError) -> str:
    """The whole parser message with its column, and a hint for raw control characters."""
    msg = exc.msg.removesuffix(" at")
    reason = f"{msg} at column {exc.colno}"
    if msg == "Invalid control character":
        reason += "; a tab or line break inside a string must be written \\t or \\n"
    return reason
