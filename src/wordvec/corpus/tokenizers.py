"""Tokenizers: callables from one line of text to a list of tokens.

``RegexTokenizer`` is the default: Unicode-aware, lower-cased, word characters with
intra-word apostrophes kept (``don't``, ``o'er``), the convention of the bundled corpora.
``"korean"`` names :class:`wordvec.corpus.korean.KoreanTokenizer` (morphemes, kiwipiepy, the
``[ko]`` extra); it is imported only when chosen. A tokenizer that also has
``tokenize_many(lines)`` is a *batch* tokenizer: file corpora tokenize through it in batches
and cache the tokens on disk (:class:`wordvec.corpus.cache.CachedCorpus`).
:class:`PhraseTokenizer` wraps any of them and joins learned phrases (``new_york``) in its tokens.
"""

from __future__ import annotations

import re
from typing import Callable

from wordvec.config import TOKENIZER_NAMES

__all__ = ["Tokenizer", "RegexTokenizer", "WhitespaceTokenizer", "PhraseTokenizer", "TOKENIZER_NAMES",
           "get_tokenizer", "is_batch_tokenizer", "describe_tokenizer"]

Tokenizer = Callable[[str], list]

# A run of letters/digits (Unicode \w without the underscore), optionally joined by a
# straight or curly apostrophe to another run: "don't" and "o'er" stay whole.
_WORD = r"[^\W_]+(?:['\u2019][^\W_]+)*"


class RegexTokenizer:
    """Lower-cases (optional) and returns the matches of ``pattern``.

    >>> RegexTokenizer()("Don't panic: it's 42 ÉLAN!")
    ["don't", 'panic', "it's", '42', 'élan']
    """

    name = "regex"

    def __init__(self, pattern: str = _WORD, lowercase: bool = True):
        self.pattern = pattern
        self.lowercase = lowercase
        self._findall = re.compile(pattern).findall

    def __call__(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        toks = self._findall(text)
        if "\u2019" in text:
            toks = [t.replace("\u2019", "'") for t in toks]
        return toks

    def __repr__(self) -> str:
        return f"RegexTokenizer(lowercase={self.lowercase})"

    def describe(self) -> dict:
        return {"name": self.name, "pattern": self.pattern, "lowercase": self.lowercase}


class WhitespaceTokenizer:
    """Splits on runs of whitespace; keeps case unless ``lowercase=True``.

    >>> WhitespaceTokenizer()("The King's  court.")
    ['The', "King's", 'court.']
    >>> WhitespaceTokenizer(lowercase=True)("The King's  court.")
    ['the', "king's", 'court.']
    """

    name = "whitespace"

    def __init__(self, lowercase: bool = False):
        self.lowercase = lowercase

    def __call__(self, text: str) -> list[str]:
        return (text.lower() if self.lowercase else text).split()

    def __repr__(self) -> str:
        return f"WhitespaceTokenizer(lowercase={self.lowercase})"

    def describe(self) -> dict:
        return {"name": self.name, "lowercase": self.lowercase}


class PhraseTokenizer:
    """The tokens of ``base`` with learned phrases joined: ``"I love New York"`` ->
    ``["i", "love", "new_york"]`` (a tokenizer stage for :class:`wordvec.corpus.phrases.FrozenPhrases`).

    >>> class NewYork:                 # stands in for a fitted Phrases: apply(tokens) and a digest
    ...     digest = "demo"
    ...     def apply(self, tokens):
    ...         text = " ".join(tokens).replace("new york", "new_york")
    ...         return text.split()
    ...
    >>> PhraseTokenizer("regex", NewYork())("I love New York")
    ['i', 'love', 'new_york']

    ``base`` is a tokenizer or its name (``"regex"``, ``"whitespace"``, ``"korean"``; None: the
    default); ``phrases`` anything with ``apply(tokens)`` and ``digest`` (a
    :class:`~wordvec.corpus.phrases.FrozenPhrases`, or fitted
    :class:`~wordvec.corpus.phrases.Phrases` through ``freeze()``). When ``base`` is a batch
    tokenizer (the Korean morpheme tokenizer), this one is too: ``tokenize_many`` runs the base's
    batches and joins phrases in each, and the tokens are cached on disk as the base's would be.
    :meth:`describe` holds the base's settings and the phrases' digest, so a token cache made with
    other phrases (or none) is never read for these.
    """

    name = "phrases"

    def __init__(self, base: str | Tokenizer | None, phrases):
        if callable(getattr(phrases, "freeze", None)) and not isinstance(getattr(phrases, "digest", None), str):
            phrases = phrases.freeze()  # fitted Phrases
        if not callable(getattr(phrases, "apply", None)) or not isinstance(getattr(phrases, "digest", None), str):
            raise TypeError(f"phrases must be learned phrases (FrozenPhrases), got {type(phrases).__name__}")
        self.base = get_tokenizer(base)
        self.phrases = phrases
        if is_batch_tokenizer(self.base):
            self.tokenize_many = self._tokenize_many

    def __call__(self, text: str) -> list[str]:
        return self.phrases.apply(self.base(text))

    def _tokenize_many(self, lines):
        """The base's ``tokenize_many(lines)`` with the phrases joined in each line's tokens."""
        apply = self.phrases.apply
        for tokens in self.base.tokenize_many(lines):
            yield apply(tokens)

    def __repr__(self) -> str:
        return f"PhraseTokenizer({self.base!r}, {self.phrases!r})"

    def describe(self) -> dict:
        describe = getattr(self.base, "describe", None)
        base = describe() if callable(describe) else {"name": getattr(self.base, "__qualname__",
                                                                       type(self.base).__qualname__)}
        return {"name": self.name, "base": base, "phrases": self.phrases.digest}


def _korean() -> Tokenizer:
    from wordvec.corpus.korean import KoreanTokenizer

    return KoreanTokenizer()


_BY_NAME = {"regex": RegexTokenizer, "default": RegexTokenizer, "whitespace": WhitespaceTokenizer,
            "korean": _korean}


def is_batch_tokenizer(tokenizer) -> bool:
    """True when ``tokenizer`` has ``tokenize_many(lines)``: it tokenizes many lines faster than one by one.

    >>> is_batch_tokenizer(get_tokenizer("regex"))        # True for the Korean tokenizer, which has tokenize_many
    False
    """
    return callable(getattr(tokenizer, "tokenize_many", None))


def get_tokenizer(spec: str | Tokenizer | None) -> Tokenizer:
    """A tokenizer from a name (``"regex"``, ``"whitespace"``, ``"korean"``), a callable, or None (the default).

    >>> get_tokenizer(None)("The King's court, 1066.")     # the default: Unicode words, lower-cased
    ['the', "king's", 'court', '1066']
    >>> get_tokenizer("whitespace")("The King's court, 1066.")
    ['The', "King's", 'court,', '1066.']
    >>> get_tokenizer(str.split)("a b")                    # any callable is used as it is
    ['a', 'b']

    ``"korean"`` needs the ``[ko]`` extra; without it an ImportError names the pip command.
    """
    if spec is None:
        return RegexTokenizer()
    if callable(spec):
        return spec
    if isinstance(spec, str):
        factory = _BY_NAME.get(spec)
        if factory is None:
            raise ValueError(f"unknown tokenizer {spec!r}; choose one of {', '.join(TOKENIZER_NAMES)}")
        return factory()
    raise TypeError(f"tokenizer must be a name or a callable, got {type(spec).__name__}")


def describe_tokenizer(corpus) -> dict | None:
    """What tokenized ``corpus``, to save with a model: its tokenizer's ``describe()`` (every option),
    ``{"name": <type>}`` for a tokenizer without one, None for token lists (nothing was tokenized).

    >>> from wordvec.corpus import LineCorpus
    >>> _ = open("corpus.txt", "w", encoding="utf-8").write("the king rules")
    >>> describe_tokenizer(LineCorpus("corpus.txt", tokenizer="whitespace"))
    {'name': 'whitespace', 'lowercase': False}
    >>> describe_tokenizer([["already", "tokenized"]]) is None
    True
    """
    import json

    tok = getattr(corpus, "tokenizer", None)
    if tok is None:
        return None
    describe = getattr(tok, "describe", None)
    if callable(describe):
        try:
            out = dict(describe())
            json.dumps(out)
            return out
        except (TypeError, ValueError):
            pass
    return {"name": getattr(tok, "__qualname__", type(tok).__qualname__)}
