"""The labels kept by ``classify_block`` and ``is_name`` are the ones worked out afresh."""

from __future__ import annotations

import itertools
from dataclasses import replace

from unspun.config import ExplainConfig
from unspun.explain import labels
from unspun.explain.labels import _classify_block, _is_name, classify_block, is_name
from unspun.text.tokens import tokenize

# The same words at a sentence start, mid-sentence, in a title-case line and as numbers:
# a kept answer must never cross from one context to another.
TEXTS = [
    "Officials from the United Kingdom met reporters in Geneva on Monday, he said.\n"
    "Police said 12 people were not hurt. Police Chief Smith told the BBC it's done.",
    "Police Arrest Three Men In Geneva After The Raid\n"
    "officials from great britain met reporters in geneva on tuesday, she said.",
    "The U.S. said twelve people were hurt. Smith told the police it is done; Police came.",
]


def _blocks() -> list[tuple[list, list, str, str]]:
    """Every pair of short token runs across the texts (both ways round, some empty)."""
    runs = []
    for text in TEXTS:
        toks = tokenize(text)
        runs += [(toks[i:i + n], text) for n in (0, 1, 2, 3) for i in range(0, len(toks), 3)]
    return [(a, b, ta, tb) for (a, ta), (b, tb) in itertools.product(runs[::5], runs[1::7])]


def test_kept_block_labels_equal_fresh_ones_in_every_context() -> None:
    cfg = ExplainConfig()
    blocks = _blocks()
    assert len(blocks) > 300
    for _ in range(2):  # the second round answers from what the first kept
        for sus, src, ts, tb in blocks:
            assert classify_block(sus, src, ts, tb, cfg) == _classify_block(sus, src, ts, tb, cfg)
    for text in TEXTS:
        for tok in tokenize(text):
            assert is_name(tok, text, cfg) == _is_name(tok, text, cfg)


def test_another_config_does_not_reuse_kept_answers() -> None:
    text = TEXTS[1]
    police = tokenize(text)[0]  # "Police" opening a title-case line: not a name there
    cfg = ExplainConfig()
    assert not is_name(police, text, cfg)
    never_title = replace(cfg, title_case_words=(99, 99))  # no line is in title case now
    assert is_name(police, text, never_title) == _is_name(police, text, never_title)
    assert labels._Memo.config == never_title
    assert not is_name(police, text, cfg)


def test_same_words_as_names_and_as_plain_words_keep_their_own_labels() -> None:
    cfg = ExplainConfig()
    names, plain = "Yesterday Smith met Jones.", "yesterday smith met jones."
    for text in (names, plain, names, plain):  # each answered fresh, then from the kept
        toks = tokenize(text)
        assert classify_block(toks[1:2], toks[3:4], text, text, cfg) == \
            (("factual", "name") if text == names else ("synonym", ""))
