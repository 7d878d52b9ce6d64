"""Corpus readers and tokenizers.

``KoreanTokenizer`` needs the ``[ko]`` extra; this package imports kiwipiepy only when one is
created (``get_tokenizer("korean")`` or ``KoreanTokenizer()``). ``open_text`` (plain, ``.gz``,
``.bz2`` and ``.xz`` text) lives in :mod:`wordvec._files` and is re-exported here. Phrases
(:mod:`wordvec.corpus.phrases`: ``Phrases``, ``FrozenPhrases``, ``load_phrases``,
``ENGLISH_CONNECTOR_WORDS``) are loaded on first use.
"""

import importlib

from wordvec._files import open_text
from wordvec.corpus.cache import CachedCorpus
from wordvec.corpus.korean import KOREAN_STOPWORDS, KoreanTokenizer
from wordvec.corpus.readers import LineCorpus, TextFiles, TokenLists, as_corpus
from wordvec.corpus.tokenizers import PhraseTokenizer, RegexTokenizer, WhitespaceTokenizer, get_tokenizer

__all__ = ["LineCorpus", "TextFiles", "TokenLists", "CachedCorpus", "as_corpus", "open_text",
           "RegexTokenizer", "WhitespaceTokenizer", "KoreanTokenizer", "KOREAN_STOPWORDS", "get_tokenizer",
           "PhraseTokenizer", "Phrases", "FrozenPhrases", "load_phrases", "ENGLISH_CONNECTOR_WORDS"]

_LAZY = {"Phrases", "FrozenPhrases", "load_phrases", "ENGLISH_CONNECTOR_WORDS"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module("wordvec.corpus.phrases"), name)
    raise AttributeError(f"module 'wordvec.corpus' has no attribute {name!r}")
