"""PAN XML: gold cases are read as written, detections survive a write/read round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspun.data import Span
from unspun.errors import BadInput
from unspun.eval.pan_measures import Annotation
from unspun.eval.pan_xml import (
    DETECTED,
    pair_file_name,
    read_annotation_dir,
    read_annotations,
    read_text,
    write_annotations,
)

GOLD = """<document reference="suspicious-document00005.txt">
<feature name="plagiarism" obfuscation="none" this_offset="3579" this_length="699"
 source_reference="source-document01090.txt" source_offset="1304" source_length="698" />
<feature name="about" authors="someone" />
<feature name="detected-plagiarism" this_offset="1" this_length="2"
 source_reference="source-document01090.txt" source_offset="3" source_length="4" />
</document>
"""


def test_gold_features_are_read(tmp_path: Path) -> None:
    path = tmp_path / "g.xml"
    path.write_text(GOLD, encoding="utf-8")
    assert read_annotations(path) == [
        Annotation("suspicious-document00005.txt", Span(3579, 4278),
                   "source-document01090.txt", Span(1304, 2002))
    ]
    assert read_annotations(path, name=DETECTED)[0].source == Span(3, 7)


def test_detections_round_trip(tmp_path: Path) -> None:
    dets = [Annotation("s.txt", Span(0, 10), "r.txt", Span(5, 25)),
            Annotation("s.txt", Span(40, 41), "q.txt", Span(0, 1))]
    name = pair_file_name("s.txt", "r.txt")
    assert name == "s-r.xml"
    write_annotations(tmp_path / name, "s.txt", dets)
    assert read_annotations(tmp_path / name, name=DETECTED) == dets
    assert read_annotations(tmp_path / name) == []  # not gold
    (tmp_path / "pairs").write_text("not xml", encoding="utf-8")
    assert read_annotation_dir(tmp_path, name=DETECTED) == dets


def test_malformed_xml_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<document", encoding="utf-8")
    with pytest.raises(BadInput, match="bad.xml"):
        read_annotations(path)
    path.write_text('<document reference="s"><feature name="plagiarism" this_offset="x" '
                    'this_length="1" source_reference="r" source_offset="0" source_length="1"/>'
                    "</document>", encoding="utf-8")
    with pytest.raises(BadInput, match="bad offset"):
        read_annotations(path)


def test_texts_keep_their_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("one\r\ntwo \u00e9\r\n".encode())
    assert read_text(path) == "one\r\ntwo \u00e9\r\n"
