"""Read and write PAN plagiarism XML: gold cases and detections, one file per document pair."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from unspun.data import Span
from unspun.errors import BadInput
from unspun.eval.pan_measures import Annotation

GOLD = "plagiarism"
DETECTED = "detected-plagiarism"
_ATTRS = ("this_offset", "this_length", "source_reference", "source_offset", "source_length")


def read_text(path: Path) -> str:
    """Read a PAN text as stored (UTF-8, line endings untouched), so offsets match it.

    Args:
        path: A ``.txt`` file of ``susp/`` or ``src/``.

    Returns:
        The text.

    Raises:
        BadInput: When the file cannot be read or decoded.
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(str(path), f"cannot read text: {exc}") from exc


def read_annotations(path: Path, *, name: str = GOLD) -> list[Annotation]:
    """Read the ``<feature name=NAME>`` annotations of one PAN XML file.

    Args:
        path: The XML file (``<document reference="suspicious-….txt">``).
        name: ``"plagiarism"`` for gold cases, ``"detected-plagiarism"`` for detections.

    Returns:
        The annotations in file order; features without the five offset attributes are skipped.

    Raises:
        BadInput: When the file is not well-formed XML or an offset is not an integer.
    """
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise BadInput(str(path), f"cannot parse PAN XML: {exc}") from exc
    suspect_ref = root.get("reference", "")
    out: list[Annotation] = []
    for feat in root.iter("feature"):
        if feat.get("name") != name or any(feat.get(a) is None for a in _ATTRS):
            continue
        try:
            t_off, t_len = int(feat.get("this_offset", "")), int(feat.get("this_length", ""))
            s_off, s_len = int(feat.get("source_offset", "")), int(feat.get("source_length", ""))
            out.append(
                Annotation(
                    suspect_ref=suspect_ref,
                    suspect=Span(t_off, t_off + t_len),
                    source_ref=feat.get("source_reference", ""),
                    source=Span(s_off, s_off + s_len),
                )
            )
        except ValueError as exc:
            raise BadInput(str(path), f"bad offset in feature: {exc}") from exc
    return out


def read_annotation_dir(directory: Path, *, name: str = GOLD) -> list[Annotation]:
    """Read every ``*.xml`` file of a directory (other files are ignored).

    Args:
        directory: A PAN gold or detection directory.
        name: The feature name to read.

    Returns:
        All annotations, files taken in name order.

    Raises:
        BadInput: When the directory is missing or a file is malformed.
    """
    if not directory.is_dir():
        raise BadInput(str(directory), "not a directory")
    out: list[Annotation] = []
    for path in sorted(directory.glob("*.xml")):
        out.extend(read_annotations(path, name=name))
    return out


def write_annotations(
    path: Path, suspect_ref: str, annotations: Iterable[Annotation], *, name: str = DETECTED
) -> None:
    """Write one pair's annotations as PAN XML (``detected-plagiarism`` by default).

    Args:
        path: The XML file to write (its directory must exist).
        suspect_ref: The suspect file name, written as ``<document reference=…>``.
        annotations: The annotations; each keeps its own ``source_reference``.
        name: The feature name to write.
    """
    root = ET.Element("document", reference=suspect_ref)
    for ann in annotations:
        ET.SubElement(
            root,
            "feature",
            name=name,
            this_offset=str(ann.suspect.start),
            this_length=str(len(ann.suspect)),
            source_reference=ann.source_ref,
            source_offset=str(ann.source.start),
            source_length=str(len(ann.source)),
        )
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def pair_file_name(suspect_ref: str, source_ref: str) -> str:
    """PAN's name for a pair file: ``suspicious-documentN-source-documentM.xml``."""
    return f"{suspect_ref.removesuffix('.txt')}-{source_ref.removesuffix('.txt')}.xml"
