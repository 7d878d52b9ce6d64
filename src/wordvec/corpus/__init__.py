"""Corpus readers and tokenizers.

``KoreanTokenizer`` needs the ``[ko]`` extra; this package imports kiwipiepy only when one is
created (``get_tokenizer("korean")`` or ``KoreanTokenizer()``).
"""

from wordvec.corpus.cache import CachedCorpus
from wordvec.corpus.korean import KOREAN_STOPWORDS, KoreanTokenizer
from wordvec.corpus.readers import LineCorpus, TextFiles, TokenLists, as_corpus, open_text
from wordvec.corpus.tokenizers import RegexTokenizer, WhitespaceTokenizer, get_tokenizer

__all__ = ["LineCorpus", "TextFiles", "TokenLists", "CachedCorpus", "as_corpus", "open_text",
           "RegexTokenizer", "WhitespaceTokenizer", "KoreanTokenizer", "KOREAN_STOPWORDS", "get_tokenizer"]
