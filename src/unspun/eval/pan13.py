"""PAN-13 evaluation: text alignment (plagdet) and document-pair detection per obfuscation type."""

from __future__ import annotations

from pathlib import Path

from unspun.data import Document
from unspun.errors import BadInput
from unspun.eval import pan_xml
from unspun.eval.detector import Detector, get_detector
from unspun.eval.harness import EvalResult, parallel_map
from unspun.eval.pan_measures import Annotation, score

GOLD_DIR = "02-no-obfuscation-relocated"  # the gold to score against (see the data README)
OFFICIAL_DIR = "02-no-obfuscation"  # PAN's own offsets, which drift from the stored texts
PAIR_TYPES = (
    "no-obfuscation",
    "random-obfuscation",
    "translation-obfuscation",
    "summary-obfuscation",
    "no-plagiarism",
)
NEGATIVE = "no-plagiarism"

_worker_detector: Detector | None = None


def check_dir(root: Path) -> Path:
    """Return ``root`` when it looks like the PAN-13 subset, else raise.

    Raises:
        BadInput: When ``root`` or its ``susp/`` and ``src/`` directories are missing.
    """
    if not root.is_dir():
        raise BadInput(str(root), "PAN-13 directory not found")
    for sub in ("susp", "src"):
        if not (root / sub).is_dir():
            raise BadInput(str(root), f"not a PAN-13 directory (no {sub}/)")
    return root


def load_document(path: Path) -> Document:
    """Read one PAN text as a :class:`Document` whose id is its file name."""
    return Document(id=path.name, text=pan_xml.read_text(path), source=str(path))


def _init_worker(detector: str) -> None:
    """Build this worker's detector once."""
    global _worker_detector
    _worker_detector = get_detector(detector)


def _align_worker(paths: tuple[str, str]) -> list[Annotation] | str:
    """Align one (suspect, source) file pair; a string is the reason the pair was skipped."""
    assert _worker_detector is not None
    try:
        suspect, source = load_document(Path(paths[0])), load_document(Path(paths[1]))
    except BadInput as exc:
        return str(exc)
    return [
        Annotation(suspect.id, a.suspect, source.id, a.source)
        for a in _worker_detector.align_pair(suspect, source)
    ]


def _pair_of(xml_name: str) -> tuple[str, str]:
    """``suspicious-documentN-source-documentM.xml`` -> the two ``.txt`` file names."""
    stem = xml_name.removesuffix(".xml")
    suspect, _, source = stem.partition("-source-")
    return f"{suspect}.txt", f"source-{source}.txt"


def evaluate_alignment(
    root: Path, *, detector: str, limit: int | None = None, jobs: int = 2,
    out: Path | None = None,
) -> EvalResult:
    """Score a detector's passages on the 500 verbatim pairs (re-located and official gold).

    Args:
        root: The PAN-13 directory.
        detector: A detector name for :func:`get_detector` (built once per worker).
        limit: Only the first ``limit`` pair files (in name order).
        jobs: Worker processes.
        out: When given, write each pair's detections as PAN XML there.

    Returns:
        Metrics ``align.{plagdet,precision,recall,granularity}`` against the re-located gold and
        ``align.official.*`` against PAN's offsets.

    Raises:
        BadInput: When the directory or the gold is missing or malformed.
    """
    gold_dir = check_dir(root) / GOLD_DIR
    files = sorted(gold_dir.glob("*.xml"))[:limit] if gold_dir.is_dir() else []
    if not files:
        raise BadInput(str(gold_dir), "no gold pair files (*.xml)")
    pairs = [_pair_of(f.name) for f in files]
    paths = [(str(root / "susp" / s), str(root / "src" / r)) for s, r in pairs]
    result = EvalResult()
    detections: list[Annotation] = []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    runs = parallel_map(_align_worker, paths, jobs=jobs, total=len(paths),
                        description="PAN-13 alignment", initializer=_init_worker,
                        initargs=(detector,))
    for (suspect, source), found in zip(pairs, runs, strict=True):
        if isinstance(found, str):
            result.skipped.append(found)
            continue
        detections.extend(found)
        if out is not None:
            pan_xml.write_annotations(out / pan_xml.pair_file_name(suspect, source), suspect,
                                      found)
    gold = [a for f in files for a in pan_xml.read_annotations(f)]
    scores = score(gold, detections)
    result.metrics.update(scores.as_dict("align."))
    official_dir = root / OFFICIAL_DIR
    if official_dir.is_dir():
        official = [a for f in files if (official_dir / f.name).exists()
                    for a in pan_xml.read_annotations(official_dir / f.name)]
        result.metrics.update(score(official, detections).as_dict("align.official."))
    result.counts.update({"align.pairs": len(pairs) - len(result.skipped),
                          "align.cases": scores.cases, "align.detections": scores.detections,
                          "align.detected_cases": scores.detected_cases,
                          "align.skipped": len(result.skipped)})
    return result


def read_pair_type(root: Path, pair_type: str) -> tuple[list[tuple[str, str]], int]:
    """The pairs of one type whose two texts are present, and how many were absent."""
    path = root / "pair-types" / pair_type
    if not path.exists():
        return [], 0
    present, absent = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        names = line.split()
        if len(names) != 2:
            continue
        if (root / "susp" / names[0]).exists() and (root / "src" / names[1]).exists():
            present.append((names[0], names[1]))
        else:
            absent += 1
    return present, absent


def evaluate_pairs(
    root: Path, *, detector: str, limit: int | None = None, jobs: int = 2
) -> EvalResult:
    """Measure how many document pairs of each type a detector flags (≥ 1 alignment).

    Args:
        root: The PAN-13 directory.
        detector: A detector name for :func:`get_detector`.
        limit: Only the first ``limit`` present pairs of each type.
        jobs: Worker processes.

    Returns:
        ``pairs.recall.<type>`` for the four reuse types and ``pairs.fpr.no-plagiarism``.

    Raises:
        BadInput: When the directory is not a PAN-13 directory or has no pair types.
    """
    result = EvalResult()
    work = _pair_work(root, limit, result)
    paths = [(str(root / "susp" / s), str(root / "src" / r)) for _, (s, r) in work]
    runs = parallel_map(_align_worker, paths, jobs=jobs, total=len(paths),
                        description="PAN-13 pairs", initializer=_init_worker,
                        initargs=(detector,))
    found: dict[str, list[bool]] = {t: [] for t in PAIR_TYPES}
    for (pair_type, _), run in zip(work, runs, strict=True):
        if isinstance(run, str):
            result.skipped.append(run)
        else:
            found[pair_type].append(bool(run))
    return _pair_rates(result, found)


def _pair_work(root: Path, limit: int | None,
               result: EvalResult) -> list[tuple[str, tuple[str, str]]]:
    """The ``(type, (suspect, source))`` pairs to measure; counts the absent ones."""
    check_dir(root)
    work: list[tuple[str, tuple[str, str]]] = []
    for pair_type in PAIR_TYPES:
        present, absent = read_pair_type(root, pair_type)
        result.counts[f"pairs.absent.{pair_type}"] = absent
        work.extend((pair_type, p) for p in present[:limit])
    if not work:
        raise BadInput(str(root / "pair-types"), "no document pairs with texts present")
    return work


def _pair_rates(result: EvalResult, found: dict[str, list[bool]], *,
                prefix: str = "pairs") -> EvalResult:
    """Add the share of pairs found per type (recall, or fpr for ``no-plagiarism``)."""
    for pair_type, flags in found.items():
        result.counts[f"{prefix}.n.{pair_type}"] = len(flags)
        if not flags:
            continue
        name = "fpr" if pair_type == NEGATIVE else "recall"
        result.metrics[f"{prefix}.{name}.{pair_type}"] = sum(flags) / len(flags)
    result.counts[f"{prefix}.skipped"] = len(result.skipped)
    return result


def evaluate_pairs_via_scan(root: Path, *, limit: int | None = None, jobs: int = 2,
                            out: Path | None = None) -> EvalResult:
    """Document pairs found by ``unspun scan`` of all the suspects and sources as one corpus.

    A gold pair counts as found when the scan lists it at all (``pairs.*``: copy,
    quote-sharing or reworded, the same question as through ``trace``: at least one
    alignment, the loose aligner's included), and as a copy (``pairs_copy.*``). Pairs the scan
    finds between
    documents that are not a listed gold pair are not scored (PAN does not label them); their
    number is in the counts.

    Args:
        root: The PAN-13 directory.
        limit: Only the first ``limit`` present pairs of each type.
        jobs: Worker processes of the scan.
        out: Directory for the scan's outputs (a temporary one when None).

    Returns:
        ``pairs.recall.<type>`` / ``pairs.fpr.no-plagiarism`` and the same as ``pairs_copy.*``.
    """
    import json
    import tempfile

    from unspun.scan import ScanInputs, scan_local
    from unspun.scan.compare import REWORDED

    result = EvalResult()
    work = _pair_work(root, limit, result)
    names = sorted({f"susp/{s}" for _, (s, _) in work}) + \
        sorted({f"src/{r}" for _, (_, r) in work})
    with tempfile.TemporaryDirectory(prefix="unspun-pan13-scan-") as tmp:
        scan_dir = out or Path(tmp) / "scan"
        corpus = Path(tmp) / "pan13.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for name in names:
                fh.write(json.dumps({"id": name, "text": load_document(root / name).text}) + "\n")
        scan_local(ScanInputs([str(corpus)], scan_dir, jobs=jobs, parquet=False), resume=False)
        rows = [json.loads(line) for line in
                (scan_dir / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    relation = {frozenset((r["a_id"], r["b_id"])): r["relation"] for r in rows}
    copies: dict[str, list[bool]] = {t: [] for t in PAIR_TYPES}
    shared: dict[str, list[bool]] = {t: [] for t in PAIR_TYPES}
    for pair_type, (s, r) in work:
        found = relation.get(frozenset((f"susp/{s}", f"src/{r}")))
        copies[pair_type].append(found == "copy")
        shared[pair_type].append(found is not None)
    gold = {frozenset((f"susp/{s}", f"src/{r}")) for _, (s, r) in work}
    result.counts.update({"scan.documents": len(names), "scan.pairs": len(rows),
                          "scan.copies": sum(v == "copy" for v in relation.values()),
                          "scan.reworded": sum(v == REWORDED for v in relation.values()),
                          "scan.pairs_not_listed": len(relation.keys() - gold)})
    _pair_rates(result, copies, prefix="pairs_copy")
    return _pair_rates(result, shared)
