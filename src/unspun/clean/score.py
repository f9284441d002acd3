"""Score a cleaning result against hand labels: line-level precision and recall of junk removal."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unspun.clean.lines import split_lines
from unspun.data import CleanResult, Span


@dataclass(slots=True)
class LineScore:
    """Counts of removed/kept lines against labels; ``problems`` says which lines went wrong."""

    tp: int = 0  # junk lines removed
    fp: int = 0  # lines removed that should have been kept
    fn: int = 0  # junk lines kept
    tn: int = 0  # lines rightly kept
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: LineScore) -> None:
        """Add ``other``'s counts and problems to these."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.problems.extend(other.problems)


def _key(text: str) -> str:
    return " ".join(text.split())


def removed_lines(result: CleanResult) -> list[tuple[str, bool]]:
    """Every non-blank line of the original text with whether cleaning removed all of it."""
    kept = result.kept
    out = []
    for ln in split_lines(result.doc.text):
        span = Span(ln.start, ln.end)
        out.append((ln.text, not any(span.overlap(k) for k in kept)))
    return out


def score_lines(result: CleanResult, *, must_remove: list[dict[str, Any]],
                must_keep: list[str]) -> LineScore:
    """Count true/false removals line by line; unlabelled lines count as lines to keep.

    Args:
        result: the cleaning result to score.
        must_remove: labels ``{"text": line, "kind": reason, "count": n}`` (``count`` is how
            many occurrences must go, default 1; the first occurrences may stay).
        must_keep: lines that must survive (only used to name problems; any line not in
            ``must_remove`` is one to keep).

    Returns:
        The counts, with a readable line per mistake in ``problems``.
    """
    expected: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for item in must_remove:
        expected[_key(item["text"])] += int(item.get("count", 1))
        kinds[_key(item["text"])] = item["kind"]
    seen: Counter[str] = Counter()
    gone: Counter[str] = Counter()
    for text, removed in removed_lines(result):
        seen[_key(text)] += 1
        gone[_key(text)] += removed
    score = LineScore()
    name = result.doc.id
    for key, n in seen.items():
        want = min(expected.get(key, 0), n)
        got = gone[key]
        score.tp += min(want, got)
        score.fp += max(0, got - want)
        score.fn += max(0, want - got)
        score.tn += n - max(want, got)
        if got > want:
            score.problems.append(f"{name}: removed a line to keep: {key!r}")
        elif got < want:
            score.problems.append(f"{name}: kept junk ({kinds[key]}): {key!r}")
    found_kinds = {(_key(f.text), f.kind) for f in result.removed}
    for key, kind in kinds.items():
        if seen.get(key) and gone[key] and (key, kind) not in found_kinds:
            score.problems.append(f"{name}: removed for another reason than {kind}: {key!r}")
    for line in must_keep:
        if not seen.get(_key(line)):
            score.problems.append(f"{name}: must-keep line is not in the text: {line!r}")
    return score
