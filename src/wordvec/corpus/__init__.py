"""Corpus readers and tokenizers."""

from wordvec.corpus.readers import LineCorpus, TextFiles, TokenLists, as_corpus, open_text
from wordvec.corpus.tokenizers import RegexTokenizer, WhitespaceTokenizer, get_tokenizer

__all__ = ["LineCorpus", "TextFiles", "TokenLists", "as_corpus", "open_text",
           "RegexTokenizer", "WhitespaceTokenizer", "get_tokenizer"]
