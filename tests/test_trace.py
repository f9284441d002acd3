"""Trace end to end on a look-alike of the seed page, built from bundled Wikinews articles."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from random import Random

import pytest

from align.builders import plain, spin
from index.corpus import wikinews
from unspun.config import (
    AlignConfig,
    CleanConfig,
    ExplainConfig,
    JudgeConfig,
    SpinConfig,
    TraceConfig,
)
from unspun.data import Document, TraceResult
from unspun.errors import BadInput
from unspun.index import Index, add_documents
from unspun.trace import trace_against, trace_document

SSI_ERROR = "[an error occurred while processing the directive]"


def _reference() -> list[Document]:
    docs = wikinews(20)
    # The "More news" article carries its headline in its text, so the trap is real: the
    # suspect's "More news: <headline>" line shares all its words with this article.
    docs[14] = replace(docs[14], text=f"{docs[14].title}\n\n{docs[14].text}")
    return docs


REFERENCE = _reference()
A, B, C, OTHER = REFERENCE[2], REFERENCE[5], REFERENCE[9], REFERENCE[14]


def lookalike() -> Document:
    """The seed page's recipe: stitched, a few words spun, junk-wrapped, headline three times."""
    rng = Random(7)
    pa, pb, pc = plain(A)[:3], plain(B)[:3], plain(C)[:3]
    body = [pa[0], pb[0], pa[1], pc[0], pb[1], pc[1], pa[2], pc[2], pb[2]]
    paras = []
    for i, sent in enumerate(body):
        paras.append(spin(sent.text, 0.15, rng) if i % 3 == 0 else sent.text)
        if i == 4:
            paras.append(f"More news: {OTHER.title}")
    headline = A.title or "Headline"
    text = "\n\n".join([headline] * 3 + paras + ["Related news", SSI_ERROR])
    return Document(id="lookalike", text=text, site="farm.example", source="lookalike.txt")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    path = tmp_path_factory.mktemp("trace") / "ix"
    with Index.create(path) as ix:
        assert add_documents(ix, REFERENCE).added == len(REFERENCE)
    ix = Index.open(path)
    yield ix  # type: ignore[misc]
    ix.close()


@pytest.fixture(scope="module")
def traced(index: Index) -> TraceResult:
    return trace_document(lookalike(), index=index)


def test_sources_are_exactly_the_three_articles(traced: TraceResult) -> None:
    assert {s.doc_id for s in traced.sources} == {A.id, B.id, C.id}
    # Three sentences each (a sentence over 250 characters is traced in pieces).
    assert all(s.sentences >= 3 for s in traced.sources)
    assert sum(s.share for s in traced.sources) == pytest.approx(1.0)
    assert OTHER.id not in {s.doc_id for s in traced.sources}  # passim's trap
    for s in traced.sources:
        assert s.title == {A.id: A, B.id: B, C.id: C}[s.doc_id].title
    assert traced.verdict is not None and traced.verdict.label == "stitched-aggregate"


def test_every_body_sentence_is_traced_and_junk_is_removed(traced: TraceResult) -> None:
    text = traced.clean.doc.text
    body = [t for t in traced.sentences]
    assert len({_paragraph(text, t.sentence.span.start) for t in body}) == 9
    assert all(t.alignment is not None for t in traced.sentences)
    removed = [f for f in traced.clean.findings if f.removed]
    kinds = sorted(f.kind for f in removed)
    assert kinds.count("repeated-headline") == 2
    removed_text = {f.span.of(text) for f in removed}
    assert f"More news: {OTHER.title}" in removed_text
    assert "Related news" in removed_text and SSI_ERROR in removed_text
    traced_text = " ".join(t.sentence.text for t in traced.sentences)
    assert "More news" not in traced_text and "error occurred" not in traced_text
    assert A.title not in traced_text  # the headline kept once is the title, not body


def test_offsets_slice_both_texts(traced: TraceResult) -> None:
    text = traced.clean.doc.text
    for t in traced.sentences:
        al = t.alignment
        assert al is not None
        assert al.suspect.of(text) == t.sentence.text
        source = traced.source_docs[al.source_id]
        src_text = al.source.of(source.text)
        assert src_text and src_text in source.text
        for edit in al.edits:
            assert edit.suspect.of(text) == edit.suspect_text
            assert edit.source.of(source.text) == edit.source_text
    spun = [t for t in traced.sentences if t.alignment and t.alignment.score < 1.0]
    assert spun, "the spun sentences should not look verbatim"


def test_the_run_records_every_threshold(traced: TraceResult) -> None:
    run = traced.run["config"]
    assert run == TraceConfig().to_dict()
    for name, cls in (("explain", ExplainConfig), ("spins", SpinConfig), ("align", AlignConfig),
                      ("clean", CleanConfig), ("judge", JudgeConfig)):
        assert set(run[name]) == {f.name for f in fields(cls)}, name
    assert run["align"]["name_weight"] > run["align"]["word_weight"] > run["align"]["stop_weight"]


def test_the_run_record_is_asdict_and_each_copy_its_own() -> None:
    """``TraceConfig.to_dict`` (made once per config, then copied) is ``asdict``; a caller
    changing its copy changes no other; a config that cannot be hashed still gets one."""
    from dataclasses import asdict

    for cfg in (TraceConfig(), TraceConfig(judge=JudgeConfig(carried_min_words=3)),
                TraceConfig(explain=ExplainConfig(title_case_words=(1, 9)))):
        first = cfg.to_dict()
        assert first == asdict(cfg) and type(first["explain"]["title_case_words"]) is tuple
        first["judge"]["carried_min_words"] = -1
        first["align"].clear()
        assert cfg.to_dict() == asdict(cfg) == TraceConfig(**{
            f.name: getattr(cfg, f.name) for f in fields(cfg)}).to_dict()
    odd = TraceConfig(sentence_max_chars=[250])  # type: ignore[arg-type]
    assert odd.to_dict() == asdict(odd)
    assert odd.to_dict()["sentence_max_chars"] is not odd.to_dict()["sentence_max_chars"]


def test_explain_thresholds_are_taken_from_the_config() -> None:
    """With no room for a synonym swap, every spun word is a paraphrase, and the run says so."""
    strict = TraceConfig(explain=ExplainConfig(max_synonym_tokens=0))
    ops = {}
    for cfg in (TraceConfig(), strict):
        result = trace_against(lookalike(), REFERENCE, config=cfg)
        ops[cfg] = {e.op for t in result.sentences if t.alignment for e in t.alignment.edits}
        assert result.run["config"]["explain"]["max_synonym_tokens"] == \
            cfg.explain.max_synonym_tokens
    assert "synonym" in ops[TraceConfig()] and "synonym" not in ops[strict]
    no_edits = trace_against(lookalike(), REFERENCE,
                             config=TraceConfig(explain=ExplainConfig(enabled=False)))
    assert all(not t.alignment.edits for t in no_edits.sentences if t.alignment)


def test_trace_against_gives_the_same_sources(traced: TraceResult) -> None:
    direct = trace_against(lookalike(), REFERENCE)
    assert [s.doc_id for s in direct.sources] == [s.doc_id for s in traced.sources]
    assert [t.alignment.source if t.alignment else None for t in direct.sentences] == \
           [t.alignment.source if t.alignment else None for t in traced.sentences]


def test_removed_source_is_no_longer_found(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as ix:
        add_documents(ix, [A, B, C, OTHER])
        assert ix.remove([B.id]) == [B.id]
        result = trace_document(lookalike(), index=ix)
    assert {s.doc_id for s in result.sources} == {A.id, C.id}
    text = result.doc.text
    untraced = {_paragraph(text, t.sentence.span.start) for t in result.sentences
                if t.alignment is None}
    assert len(untraced) == 3  # B's three sentences, and nothing else


def _paragraph(text: str, pos: int) -> int:
    """The number of the paragraph that holds ``pos``."""
    return text.count("\n\n", 0, pos)


def test_unrelated_article_has_no_sources(index: Index) -> None:
    stranger = wikinews(1, skip=100)[0]
    result = trace_document(stranger, index=index)
    assert result.sources == [] and all(t.alignment is None for t in result.sentences)


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty article"),
    ("   \n\n  ", "empty article"),
    ("Related news\n\nShare this article\n\n" + SSI_ERROR, "no article text is left"),
])
def test_empty_or_junk_only_article_is_bad_input(index: Index, text: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason) as err:
        trace_document(Document(id="x", text=text, source="page.txt"), index=index)
    assert err.value.path == "page.txt"
    with pytest.raises(BadInput, match=reason):
        trace_against(Document(id="x", text=text, source="page.txt"), REFERENCE)


def test_every_threshold_of_explain_spins_and_clean_is_documented() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    for cls, page in ((ExplainConfig, "explain.md"), (SpinConfig, "explain.md"),
                      (CleanConfig, "clean.md")):
        text = (docs / page).read_text(encoding="utf-8")
        for f in fields(cls):
            assert f"`{f.name}`" in text, f"{cls.__name__}.{f.name} is not in docs/{page}"


def test_judge_and_scan_thresholds_come_from_their_configs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    import unspun.explain.spins as spins
    from unspun.judge import _spin_signals
    from unspun.scan.compare import _is_quote
    from unspun.scan.config import ScanConfig
    from unspun.text import split_sentences
    from unspun.text.quotes import closed_quotes

    result = trace_against(Document("s", "He said the plan was good."), [])
    monkeypatch.setattr(spins, "spin_score", lambda *a, **k: SimpleNamespace(
        flags=[1, 2], content_words=5))  # two signals in a five-word page
    assert _spin_signals(result, SpinConfig()) == 10.0  # counted as 20 words
    assert _spin_signals(result, SpinConfig(min_content_words=5)) == 40.0
    text = 'Smith said: "We will not stop the work on the dam this year," on Monday.'
    (sentence,) = split_sentences(text)
    quotes = closed_quotes(text, None)
    assert _is_quote(text, sentence.span, quotes, "We will not stop", ScanConfig())
    assert not _is_quote(text, sentence.span, quotes, "We will not stop",
                         ScanConfig(quote_share=0.99))
