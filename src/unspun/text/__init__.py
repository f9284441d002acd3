"""Text kernels shared by every stage: tokens and sentences with offsets into the original."""

from unspun.text.sentences import split_sentences
from unspun.text.tokens import Token, tokenize, words

__all__ = ["Token", "split_sentences", "tokenize", "words"]
