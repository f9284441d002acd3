"""Classify one differing block of tokens: cosmetic, synonym (spin), factual or paraphrase."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from unspun.config import ExplainConfig
from unspun.data import EditOp
from unspun.text.tokens import SPEAKER_PRONOUNS, STOPWORDS, TITLES, Token, word_forms

#: Negation words: inserting or removing one flips the meaning of a sentence.
NEGATIONS = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor",
                       "cannot"})

_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty""".split())}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                      "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000"})
_CONTRACTIONS = {"can't": "can not", "cannot": "can not", "won't": "will not",
                 "shan't": "shall not", "ain't": "is not", "i'm": "i am", "let's": "let us"}
#: Words whose "'s" can only be "is" or "has" (never a possessive): "it's" for "it is".
_S_IS = frozenset("it that there he she what here who where how".split())
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'d", " would"))

_DATES = """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thurs fri sat sun yesterday today tomorrow"""
#: Month and weekday names (and their short forms): changing one changes a date.
DATE_WORDS = frozenset(_DATES.split())

#: Small alias table for country and organisation names whose forms share no letters.
_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"us", "usa", "united states", "united states of america", "america", "u s"}),
    frozenset({"uk", "britain", "great britain", "united kingdom"}),
    frozenset({"un", "united nations"}),
    frozenset({"eu", "european union"}),
    frozenset({"uae", "emirates", "united arab emirates"}),
)


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind != "punct"]


def _is_content(tok: Token) -> bool:
    return tok.kind in ("word", "abbr") and tok.norm not in STOPWORDS


def _negations(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if t.norm in NEGATIONS or t.norm.endswith("n't"))


def canonical(tokens: list[Token]) -> tuple[list[str], str]:
    """Words with number words as digits and contractions expanded, and what was rewritten
    ("number-format" when any number word was, else "contraction" when any was)."""
    out: list[str] = []
    number = contraction = False
    for tok in tokens:
        if tok.kind == "punct":
            continue
        words, is_number, is_contraction = _canonical_word(tok.norm)
        out.extend(words)
        number = number or is_number
        contraction = contraction or is_contraction
    return out, "number-format" if number else "contraction" if contraction else ""


@lru_cache(maxsize=65536)
def _canonical_word(norm: str) -> tuple[tuple[str, ...], bool, bool]:
    """:func:`canonical` of one word (cached: words repeat): its words, and whether a number
    word and a contraction were rewritten."""
    out: list[str] = []
    number = contraction = False
    for part in norm.split("-"):
        if part in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[part])
            number = True
            continue
        full = _CONTRACTIONS.get(part)
        if full is None and part[-2:] in ("'s", "’s") and part[:-2] in _S_IS:
            full = part[:-2] + " is"
        if full is None:
            full = next((part[: -len(suf)] + rep for suf, rep in _SUFFIXES
                         if part.endswith(suf) and len(part) > len(suf)), None)
        if full is not None:
            contraction = True
            out.extend(full.split())
        else:
            out.append(part)
    return tuple(out), number, contraction


def is_name(tok: Token, text: str, config: ExplainConfig) -> bool:
    """True for a capitalised word or abbreviation that is not the first word of a sentence
    (a line in title case, as ``config`` defines it, says nothing); see :func:`_is_name`
    (whose answers are kept, see :class:`_Memo`)."""
    if tok.kind != "word":
        return tok.kind == "abbr"
    if tok.norm in STOPWORDS or not text[tok.start].isupper():
        return False
    memo = _memo(config)
    names = memo.names
    key = (text, tok)
    found = names.get(key)
    if found is None:
        if len(names) > memo.limit:
            names = memo.names = {}
        found = names[key] = _is_name(tok, text, config)
    return found


def _is_name(tok: Token, text: str, config: ExplainConfig) -> bool:
    """:func:`is_name`, worked out."""
    if tok.kind == "abbr":
        return True
    if tok.kind != "word" or tok.norm in STOPWORDS or not text[tok.start].isupper():
        return False
    if len(tok.norm) > 1 and text[tok.start : tok.end].isupper():
        return True  # "USA", "NATO"
    if _title_case_line(text, tok.start, config):
        return False  # a headline in title case: capitals say nothing
    before = text[max(0, tok.start - 4) : tok.start].rstrip(" \t\"'\u201c\u2018(")
    if not (before == "" or before[-1] in ".!?:\n"):
        return True
    # Sentence-initial: a name if the same word is capitalised mid-sentence somewhere else.
    return _mid_sentence(text, text[tok.start : tok.end])


def _mid_sentence(text: str, raw: str) -> bool:
    """Whether ``re.search(rf"[\\w,;] +{re.escape(raw)}\\b", text)`` finds ``raw`` (a word
    token: its last character a letter): after spaces after a word character, "," or ";",
    before no word character. Looked for with ``str.find``: compiling a pattern for each word
    cost more than the search."""
    n = len(text)
    at = text.find(raw)
    while at >= 0:
        after = at + len(raw)
        if after == n or not _word_char(text[after]):
            k = at - 1
            while k >= 0 and text[k] == " ":
                k -= 1
            if k < at - 1 and k >= 0 and (_word_char(text[k]) or text[k] in ",;"):
                return True
        at = text.find(raw, at + 1)
    return False


def _word_char(c: str) -> bool:
    """``\\w`` of the re module for one character of a str."""
    return c.isalnum() or c == "_"


def _title_case_line(text: str, pos: int, cfg: ExplainConfig) -> bool:
    """True when the line around ``pos`` is a headline in title case: ``cfg.title_case_words``
    words, at least ``cfg.title_case_share`` of them capitalised or minor words (kept by the
    line's start, see :class:`_Memo`: every name of a line asks again)."""
    start = text.rfind("\n", 0, pos) + 1
    memo = _memo(cfg)
    lines = memo.lines
    key = (text, start)
    found = lines.get(key)
    if found is None:
        end = text.find("\n", pos)
        found = _title_case(text, start, end if end >= 0 else len(text), cfg.title_case_words,
                            cfg.title_case_share)
        if len(lines) > memo.limit:
            lines = memo.lines = {}
        lines[key] = found
    return found


def _title_case(text: str, start: int, end: int, words: tuple[int, int], share: float) -> bool:
    """:func:`_title_case_line` of the line ``text[start:end]``.

    Most lines are paragraphs, far longer than a headline: when the words before a space
    well inside the line are already too many, the rest is not read (no word holds a space,
    so those are exactly the line's first words).
    """
    least, most = words
    if end - start > 8 * most:
        cut = text.rfind(" ", start, start + 8 * most)
        if cut > start and sum(1 for w in word_forms(text, start, cut)
                               if not w[0].isdigit()) > most:
            return False
    forms = word_forms(text, start, end)
    kept = [w for w in forms if not w[0].isdigit()]
    if not least <= len(kept) <= most:
        return False
    caps = sum(1 for w in kept if w[0].isupper() or w.lower() in _MINOR_WORDS)
    return caps >= share * len(kept)


_MINOR_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or",
                          "but", "by", "with", "from", "as"})


def _letters(phrase: list[str]) -> str:
    return "".join(phrase).replace("'", "").replace("-", "")


def _initials(phrase: list[str]) -> str:
    return "".join(w[0] for w in phrase if w and w not in ("of", "the", "and"))


def is_expansion(a: list[str], b: list[str]) -> bool:
    """True when one name phrase expands or abbreviates the other.

    ``a`` and ``b`` are normalised word lists ("russia" / "russian federation", "us" / "usa",
    "un" / "united nations", "trump" / "donald trump").
    """
    return _expansion(tuple(a), tuple(b))


@lru_cache(maxsize=65536)
def _expansion(a_words: tuple[str, ...], b_words: tuple[str, ...]) -> bool:
    """:func:`is_expansion` (cached: an edit labeller meets the same swaps again and again)."""
    a, b = list(a_words), list(b_words)
    if not a or not b or a == b:
        return bool(a) and a == b
    ja, jb = " ".join(a), " ".join(b)
    if any(ja in group and jb in group for group in _ALIASES):
        return True
    short, long_ = (a, b) if len(_letters(a)) <= len(_letters(b)) else (b, a)
    s_letters = _letters(short)
    if len(short) == 1 and len(long_) > 1:
        ini = _initials(long_)
        if s_letters in (ini, ini[:-1]) or ini.startswith(s_letters) and len(s_letters) >= 2:
            return True
    if len(short) == 1 and len(long_) == 1 and len(s_letters) <= 3 and len(s_letters) >= 2:
        return _letters(long_).startswith(s_letters)  # "us" / "usa"
    if set(short) <= set(long_) and set(short) - STOPWORDS:
        return True  # "trump" / "donald trump"
    if _acronym_of(a, b) or _acronym_of(b, a):
        return True  # "european union" / "eu bloc"
    stem = s_letters if len(short) == 1 else short[0]
    first = long_[0]
    common = len(_common_prefix(stem, first))
    return len(stem) >= 4 and common >= max(4, len(stem) - 1)


def _acronym_of(full: list[str], other: list[str]) -> bool:
    """True when ``other`` names ``full`` by its acronym plus at most one more word."""
    ini = _initials(full)
    return (len(full) >= 2 and len(ini) >= 2 and len(other) <= 2
            and any(_letters([w]) == ini for w in other))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _only_names(tokens: list[Token], text: str, cfg: ExplainConfig) -> bool:
    """True when every content word of ``tokens`` is a name or a title (no description)."""
    return all(is_name(t, text, cfg) or t.norm in TITLES for t in tokens if _is_content(t))


def _pronoun_for_name(a: list[Token], b: list[Token], a_text: str, b_text: str,
                      cfg: ExplainConfig) -> bool:
    """True when ``a`` says "he" (or she, they) where ``b`` names someone."""
    return (any(t.norm in SPEAKER_PRONOUNS for t in a)
            and not any(is_name(t, a_text, cfg) for t in a)
            and any(is_name(t, b_text, cfg) for t in b))


_NO_NUMBERS: dict[str, int] = {}


def _numbers(words: list[Token]) -> dict[str, int]:
    """The numbers among ``words``, counted (one shared empty dict when there are none, the
    common case: never changed). A plain dict of the :class:`Counter`: every count is
    positive, so the two compare alike, and a dict compares in C (``Counter.__eq__`` is a
    Python loop, met by every block)."""
    nums = [t.norm for t in words if t.kind == "num"]
    return dict(Counter(nums)) if nums else _NO_NUMBERS


def _strip_titles(words: list[str]) -> list[str]:
    return [w for w in words if w not in TITLES]


class _Memo:
    """Answers of :func:`is_name` and :func:`classify_block` met before, for one config.

    A corpus scan labels each sentence in many pairs and meets the same swap in many of them
    (planted 10k: 60 % of the blocks were labelled before, 57 % of the names asked before).
    A block's label depends on its tokens only through their norms, kinds and
    :func:`is_name`, so those are its key. The dicts are replaced, never cleared, when full
    or when another config comes (another thread may be reading them).
    """

    limit = 32768
    config: ExplainConfig | None = None
    names: dict[tuple[str, Token], bool] = {}
    lines: dict[tuple[str, int], bool] = {}  # (text, line start): a headline in title case
    blocks: dict[tuple[tuple[tuple[str, str, bool], ...], ...], tuple[EditOp, str]] = {}


def _memo(config: ExplainConfig) -> type[_Memo]:
    """:class:`_Memo`, emptied first when ``config`` differs from the one it holds."""
    if config is not _Memo.config:
        if config != _Memo.config:
            _Memo.names, _Memo.lines, _Memo.blocks = {}, {}, {}
        _Memo.config = config
    return _Memo


def _block_key(tokens: list[Token], text: str,
               config: ExplainConfig) -> tuple[tuple[str, str, bool], ...]:
    """What :func:`classify_block` reads of ``tokens``: each one's norm, kind and whether it
    is a name."""
    # is_name's first test inline: most tokens are lower-case or function words, no name.
    return tuple([(tok.norm, tok.kind,
                   is_name(tok, text, config) if tok.kind == "word" and tok.norm not in STOPWORDS
                   and text[tok.start].isupper() else tok.kind == "abbr") for tok in tokens])


def classify_block(
    sus: list[Token], src: list[Token], sus_text: str, src_text: str, config: ExplainConfig
) -> tuple[EditOp, str]:
    """Label one replace block (tokens from both sides, either side possibly empty); see
    :func:`_classify_block` (whose answers are kept, see :class:`_Memo`).

    One word for one word, the most common block (a spinner's synonym; planted 10k: 60 % of
    the blocks labelled afresh), takes :func:`_classify_words`, cheaper than making its key.
    An insertion or deletion (one side empty) is labelled afresh too: it is labelled by its
    norms and kinds alone (no name can stand for a pronoun on an empty side), cheaply, where
    its key would ask :func:`is_name` about every token.
    """
    if len(sus) == 1 and len(src) == 1:
        if sus[0].kind == "word" == src[0].kind and config.max_synonym_tokens >= 1:
            return _classify_words(sus[0], src[0], sus_text, src_text, config)
    elif not sus or not src:
        return _classify_block(sus, src, sus_text, src_text, config)
    key = (_block_key(sus, sus_text, config), _block_key(src, src_text, config))
    memo = _memo(config)
    blocks = memo.blocks
    found = blocks.get(key)
    if found is None:
        found = _classify_block(sus, src, sus_text, src_text, config)
        if len(blocks) > memo.limit:
            blocks = memo.blocks = {}
        blocks[key] = found
    return found


def classify_pair(a: Token, b: Token, a_text: str, b_text: str,
                  config: ExplainConfig) -> tuple[EditOp, str]:
    """``classify_block([a], [b], a_text, b_text, config)``, without the two lists: one token
    for one token is the most common block (the edit labeller meets ~90 a trace)."""
    if a.kind == "word" == b.kind and config.max_synonym_tokens >= 1:
        return _classify_words(a, b, a_text, b_text, config)
    return classify_block([a], [b], a_text, b_text, config)


def _classify_block(
    sus: list[Token], src: list[Token], sus_text: str, src_text: str, config: ExplainConfig
) -> tuple[EditOp, str]:
    """Label one replace block (tokens from both sides, either side possibly empty).

    ``config.max_synonym_tokens`` bounds a synonym swap, ``config.max_negation_insert`` an
    inserted or deleted negation.

    Returns:
        The edit label and its detail ("number", "name", "date", "negation", "expansion",
        "number-format", "contraction", "function-word", "punctuation", "reorder", ...).
    """
    sw, bw = _words(sus), _words(src)
    if [t.norm for t in sw] == [t.norm for t in bw]:
        return "cosmetic", "punctuation"
    if (_pronoun_for_name(sw, bw, sus_text, src_text, config)
            or _pronoun_for_name(bw, sw, src_text, sus_text, config)):
        return "paraphrase", "pronoun"  # "He further said" for "La Russa said": no spin
    (s_canon, s_how), (b_canon, b_how) = canonical(sus), canonical(src)
    if s_canon == b_canon:
        return "paraphrase", s_how or b_how
    s_nums, b_nums = _numbers(sw), _numbers(bw)
    negation = _negations(sus) != _negations(src)
    if not sw or not bw:
        if negation and len(sw) + len(bw) <= config.max_negation_insert:
            return "factual", "negation"
        op: EditOp = "insert" if sw else "delete"
        return op, "number" if (s_nums or b_nums) else ""
    if not negation and s_nums != b_nums and s_nums and b_nums and len(sw) == len(bw) == 1:
        return "factual", "number"  # "100,000" / "100001" is no expansion
    if not negation and is_expansion([t.norm for t in sw], [t.norm for t in bw]):
        return "synonym", "expansion"  # "U.S." / "United States of America", "NASA" / ...
    s_content = [t for t in sw if _is_content(t)]
    b_content = [t for t in bw if _is_content(t)]
    short, long_ = sorted((len(sw), len(bw)))
    most = config.max_synonym_tokens
    if max(len(s_content), len(b_content)) > most or long_ > 2 * most or long_ > 2 * short + 1:
        return _classify_rewrite(s_canon, b_canon, s_nums, b_nums, negation, sw, bw)
    if negation:
        return "factual", "negation"
    if s_nums != b_nums and s_nums and b_nums:
        return "factual", "number"
    s_dates = {t.norm for t in sw if t.norm in DATE_WORDS}
    b_dates = {t.norm for t in bw if t.norm in DATE_WORDS}
    if s_dates != b_dates and s_dates and b_dates:
        return "factual", "date"
    s_names = [t.norm for t in sw if is_name(t, sus_text, config) and t.norm not in TITLES]
    b_names = [t.norm for t in bw if is_name(t, src_text, config) and t.norm not in TITLES]
    if s_names and b_names and s_names != b_names:
        if (is_expansion(_strip_titles([t.norm for t in sw]), _strip_titles([t.norm for t in bw]))
                or is_expansion(s_names, b_names)):
            return "synonym", "expansion"
        if _only_names(sw, sus_text, config) and _only_names(bw, src_text, config):
            return "factual", "name"
    if sorted(t.norm for t in sw) == sorted(t.norm for t in bw):
        return "paraphrase", "reorder"
    if not s_content and not b_content:
        return "synonym", "function-word"
    return "synonym", ""


def _classify_words(a: Token, b: Token, a_text: str, b_text: str,
                    config: ExplainConfig) -> tuple[EditOp, str]:
    """:func:`_classify_block` of the word ``a`` for the word ``b`` (no number, abbreviation
    or mark; ``config.max_synonym_tokens`` at least 1), its steps taken with one word a side:
    no number can differ, no block is long, and once the names differ they differ alone.

    The one-word lists of the block steps are not made: each test reads the two norms
    (a trace labels ~90 such swaps; tests/explain/test_label_paths.py compares the two)."""
    an, bn = a.norm, b.norm
    if an == bn:
        return "cosmetic", "punctuation"
    # _pronoun_for_name both ways: "he" where the other side names someone.
    if (an in SPEAKER_PRONOUNS and not is_name(a, a_text, config) and is_name(b, b_text, config)
            or bn in SPEAKER_PRONOUNS and not is_name(b, b_text, config)
            and is_name(a, a_text, config)):
        return "paraphrase", "pronoun"
    a_canon, a_number, a_contraction = _canonical_word(an)
    b_canon, b_number, b_contraction = _canonical_word(bn)
    if a_canon == b_canon:
        return "paraphrase", ("number-format" if a_number else "contraction" if a_contraction
                              else "number-format" if b_number else "contraction"
                              if b_contraction else "")
    if (an in NEGATIONS or an.endswith("n't")) != (bn in NEGATIONS or bn.endswith("n't")):
        return "factual", "negation"
    if _word_expansion(an, bn):  # is_expansion([an], [bn])
        return "synonym", "expansion"
    if an in DATE_WORDS and bn in DATE_WORDS:
        return "factual", "date"
    if (an not in TITLES and bn not in TITLES and is_name(a, a_text, config)
            and is_name(b, b_text, config)):
        return "factual", "name"  # a name is a content word: each side only names
    if an in STOPWORDS and bn in STOPWORDS:
        return "synonym", "function-word"
    return "synonym", ""


#: Each one-word alias, with every alias sharing a group of :data:`_ALIASES` with it.
_WORD_ALIASES: dict[str, frozenset[str]] = {
    word: frozenset().union(*(g for g in _ALIASES if word in g))
    for group in _ALIASES for word in group if " " not in word}


def _word_expansion(a: str, b: str) -> bool:
    """:func:`_expansion` of the one-word phrases ``a`` and ``b`` (two different words, no
    space in either), its steps taken with one word a side: no word set holds the other, no
    acronym has the two words it needs, and its last test reads as two prefix tests.

    Uncached: a trace meets few swaps twice, and this costs less than the cache's key."""
    aliases = _WORD_ALIASES.get(a)
    if aliases is not None and b in aliases:
        return True
    if a[0] != b[0] and a[0] not in "'-" and b[0] not in "'-":
        # Each word's letters open with its first character, so the stem and the longer
        # word do not: no prefix is shared (most swaps are other words).
        return False
    a_letters = a.replace("'", "").replace("-", "")
    b_letters = b.replace("'", "").replace("-", "")
    if len(a_letters) <= len(b_letters):
        stem, long_word, long_letters = a_letters, b, b_letters
    else:
        stem, long_word, long_letters = b_letters, a, a_letters
    n = len(stem)
    if 2 <= n <= 3:
        return long_letters.startswith(stem)  # "us" / "usa"
    # A common prefix of at least max(4, n - 1) letters with the longer word: all of a stem
    # of four, all but the last letter of a longer one.
    return n >= 4 and long_word.startswith(stem if n == 4 else stem[:-1])


def _classify_rewrite(s_canon: list[str], b_canon: list[str], s_nums: dict[str, int],
                      b_nums: dict[str, int], negation: bool, sw: list[Token],
                      bw: list[Token]) -> tuple[EditOp, str]:
    """Label a long or lopsided block: a paraphrase unless a negation or number clearly changed."""
    if negation and [w for w in s_canon if w not in NEGATIONS] == [
            w for w in b_canon if w not in NEGATIONS]:
        return "factual", "negation"
    if s_nums and b_nums and s_nums != b_nums and len(s_nums) == len(b_nums):
        return "factual", "number"
    if sorted(t.norm for t in sw) == sorted(t.norm for t in bw):
        return "paraphrase", "reorder"
    return "paraphrase", ""
