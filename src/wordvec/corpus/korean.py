"""Korean morpheme tokenizer on kiwipiepy (the ``[ko]`` extra: ``pip install 'wordvec[ko]'``).

Korean words (어절) glue a stem to particles and endings — 영화가, 영화를, 영화는 are one noun
with three particles — so word vectors are trained on *morphemes*: kiwi (Kiwi, the Korean
Intelligent Word Identifier; its model installs from PyPI as ``kiwipiepy_model`` and runs
offline) splits 아버지가방에들어가신다 into 아버지/NNG 가/JKS 방/NNG 에/JKB 들어가/VV 시/EP ㄴ다/EC.

By default particles (J*) and punctuation are dropped and everything else is kept as a bare
morpheme: ``아버지 방 들어가 시 ㄴ다``. kiwipiepy is imported only when a
:class:`KoreanTokenizer` is created, never by ``import wordvec``; the analyser itself (about a
second to load) is created on first use and shared by every tokenizer with the same
``workers``.

>>> tok = KoreanTokenizer()
>>> tok("아버지가방에들어가신다")
['아버지', '방', '들어가', '시', 'ㄴ다']
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = ["KoreanTokenizer", "KOREAN_STOPWORDS", "PUNCTUATION_TAGS", "CONTENT_TAGS", "INSTALL_HINT"]

INSTALL_HINT = "the Korean tokenizer needs kiwipiepy: pip install 'wordvec[ko]'"

#: The stopword list of the usual Korean Word2Vec tutorials (NSMC reviews). Pass it as
#: ``KoreanTokenizer(stopwords=KOREAN_STOPWORDS)``.
KOREAN_STOPWORDS: tuple[str, ...] = (
    "의", "가", "이", "은", "들", "는", "좀", "잘", "걍", "과", "도", "를", "으로", "자", "에", "와", "한", "하다",
)

#: Tags dropped by ``drop_punctuation``: kiwi's sentence-final (SF), separating (SP), quote and
#: bracket (SS, SSO, SSC), ellipsis (SE) and hyphen/tilde (SO) marks, and list bullets such as
#: ``가.`` or ``1)`` (SB). Other symbols (SW: ㅋㅋ, ㅠㅠ, ^^, ♥) are kept: in reviews and chat
#: they carry sentiment.
PUNCTUATION_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SB"})

#: Tags kept by ``content_only``: nouns (NNG, NNP, NNB), numerals (NR), pronouns (NP), verb,
#: adjective and auxiliary stems (VV, VA, VX), the negative copula 아니 (VCN; with VX it keeps
#: the negation of 재미있지 않다 / 재미가 아니다), general adverbs (MAG), roots (XR), Latin words
#: (SL), Chinese characters (SH) and numbers (SN).
CONTENT_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "VX", "VCN", "MAG", "XR", "SL", "SH", "SN"})

# Stems whose dictionary form is stem + 다, so that the stopword 하다 matches 하/VV and 하/XSV.
_PREDICATE_TAGS = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})

_KIWI: dict[int, object] = {}  # num_workers -> kiwipiepy.Kiwi, shared by all tokenizers
_KIWI_LOCK = threading.Lock()


def _import_kiwipiepy():
    try:
        import kiwipiepy
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return kiwipiepy


def _default_workers() -> int:
    import os

    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, n)


def _versions() -> dict:
    from importlib import metadata

    out = {}
    for dist in ("kiwipiepy", "kiwipiepy_model"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


class KoreanTokenizer:
    """One line of Korean text to a list of morphemes (kiwipiepy).

    >>> tokenizer = KoreanTokenizer()                  # needs the [ko] extra (kiwipiepy)
    >>> tokenizer("영화가 정말 재미있었다.")           # particles and punctuation dropped
    ['영화', '정말', '재미있', '었', '다']
    >>> KoreanTokenizer(tags=True)("영화가 좋다")
    ['영화/NNG', '좋/VA', '다/EF']

    Parameters
    ----------
    tags:
        Tokens as ``form/TAG`` (``영화/NNG``) instead of the bare form. The tag is kiwi's own,
        including the ``-R`` / ``-I`` suffix it gives some verb and adjective stems (regular or
        irregular conjugation), which tells homographs apart: 묻/VV-I (ask, 물어) and 묻/VV-R
        (bury, 묻어). The dropping options ignore the suffix.
    drop_particles:
        Drop particles (tags J*: 가/JKS, 를/JKO, 에/JKB, 는/JX, ...). Default True.
    drop_endings:
        Drop verbal endings (tags E*: 시/EP, 었/EP, ㄴ다/EC, 다/EF, ㄴ/ETM, ...) and the extra
        coda kiwi splits off an ending (Z_CODA: the ㅋ of 먹었닼). Default False.
    drop_punctuation:
        Drop punctuation (:data:`PUNCTUATION_TAGS`). Default True. Other symbols (SW) are kept:
        kiwi tags ㅋㅋ, ㅠㅠ and ^^ as SW, and they are strong sentiment tokens.
    content_only:
        Keep only content morphemes (:data:`CONTENT_TAGS`: nouns, numerals, pronouns, verb /
        adjective / auxiliary stems, 아니, general adverbs, roots, Latin, Chinese characters,
        numbers); overrides the three dropping options. Default False.
    normalize:
        NFC-normalise the input (decomposed Hangul, as some Mac files hold it, becomes
        syllables) and let kiwi restore a coda typed onto the next morpheme (``normalize_coda``:
        먹었닼ㅋㅋ reads 먹었다 ㅋㅋㅋ). NFC, not NFKC: NFKC would turn the compatibility jamo of
        ㅋㅋ into conjoining jamo. Default True. Whatever this option, endings are written with
        compatibility jamo (ㄴ다, not the conjoining ᆫ다), so tokens round-trip through
        :mod:`wordvec.corpus.jamo`.
    stopwords:
        Tokens to drop after the options above: None (default, none) or an iterable of strings,
        such as :data:`KOREAN_STOPWORDS`. A stopword matches a morpheme's form (이 removes
        이/JKS, 이/MM, 이/NP, 이/VCP), for verb and adjective stems also its dictionary form (하다
        removes 하/VV and 하/XSV), and ``form/TAG`` matches one tag only (이/MM).
    workers:
        Threads kiwi uses in :meth:`tokenize_many` (``num_workers``); default one per core.
        It does not change the tokens.

    Tokens never contain whitespace: should kiwi ever return a form with a space in it (a
    user-dictionary entry of several words), the whitespace is replaced by ``_``.
    """

    name = "korean"

    def __init__(self, *, tags: bool = False, drop_particles: bool = True, drop_endings: bool = False,
                 drop_punctuation: bool = True, content_only: bool = False, normalize: bool = True,
                 stopwords: Iterable[str] | None = None, workers: int | None = None):
        _import_kiwipiepy()  # fail now, with the pip command, rather than on first use
        if isinstance(stopwords, str):
            raise TypeError("stopwords must be an iterable of words, not one string; "
                            "pass stopwords=wordvec.corpus.KOREAN_STOPWORDS for the usual list")
        if workers is not None and (not isinstance(workers, int) or workers < 1):
            raise ValueError(f"workers must be an integer >= 1 or None (one per core), got {workers!r}")
        self.tags = bool(tags)
        self.drop_particles = bool(drop_particles)
        self.drop_endings = bool(drop_endings)
        self.drop_punctuation = bool(drop_punctuation)
        self.content_only = bool(content_only)
        self.normalize = bool(normalize)
        self.stopwords: frozenset[str] = frozenset(stopwords or ())
        for w in self.stopwords:
            if not isinstance(w, str):
                raise TypeError(f"stopwords must be strings, got {type(w).__name__} {w!r}")
        self.workers = workers

    # ------------------------------------------------------------------ kiwi
    @property
    def kiwi(self):
        """The shared ``kiwipiepy.Kiwi`` analyser (created on first use, about a second)."""
        n = self.workers or _default_workers()
        kiwi = _KIWI.get(n)
        if kiwi is None:
            with _KIWI_LOCK:
                kiwi = _KIWI.get(n)
                if kiwi is None:
                    kiwi = _import_kiwipiepy().Kiwi(num_workers=n)
                    _KIWI[n] = kiwi
        return kiwi

    def _options(self) -> dict:
        return {"normalize_coda": self.normalize, "compatible_jamo": True}

    def _prepare(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError(f"the Korean tokenizer takes text (str), got {type(text).__name__}")
        return unicodedata.normalize("NFC", text) if self.normalize else text

    # ------------------------------------------------------------------ tokenizing
    def __call__(self, text: str) -> list[str]:
        """The tokens of one line (or any text: kiwi does not split it into sentences here)."""
        return self._select(self.kiwi.tokenize(self._prepare(text), **self._options()))

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """Tokenize many lines through kiwi's multi-threaded batch mode, lazily and in order.

        Equal to ``map(self, texts)``; with ``workers > 1`` kiwi analyses several lines at once
        on its own threads. The input is read a few dozen lines ahead of the output.
        """
        select = self._select
        for analysed in self.kiwi.tokenize(map(self._prepare, texts), **self._options()):
            yield select(analysed)

    def _select(self, analysed) -> list[str]:
        content_only, tags, stop = self.content_only, self.tags, self.stopwords
        drop_j = self.drop_particles and not content_only
        drop_e = self.drop_endings and not content_only
        drop_p = self.drop_punctuation and not content_only
        out: list[str] = []
        for tok in analysed:
            tag = tok.tag
            base = tag[:-2] if tag.endswith(("-R", "-I")) else tag
            if content_only:
                if base not in CONTENT_TAGS:
                    continue
            elif ((drop_j and base[0] == "J") or (drop_e and (base[0] == "E" or base == "Z_CODA"))
                  or (drop_p and base in PUNCTUATION_TAGS)):
                continue
            form = tok.form
            if not form:
                continue
            if " " in form or not form.isprintable():  # every whitespace but " " is non-printable
                form = "_".join(form.split())
                if not form:
                    continue
            if stop and (form in stop or f"{form}/{tag}" in stop or f"{form}/{base}" in stop
                         or (base in _PREDICATE_TAGS and form + "다" in stop)):
                continue
            out.append(f"{form}/{tag}" if tags else form)
        return out

    # ------------------------------------------------------------------ description
    def describe(self) -> dict:
        """Everything that decides the tokens (options and kiwipiepy / model versions).

        Used as part of the on-disk token cache's key; ``workers`` is left out since it does
        not change the tokens.
        """
        return {"name": self.name, "tags": self.tags, "drop_particles": self.drop_particles,
                "drop_endings": self.drop_endings, "drop_punctuation": self.drop_punctuation,
                "content_only": self.content_only, "normalize": self.normalize,
                "stopwords": sorted(self.stopwords), **_versions()}

    def __repr__(self) -> str:
        defaults = {"tags": False, "drop_particles": True, "drop_endings": False, "drop_punctuation": True,
                    "content_only": False, "normalize": True}
        parts = [f"{k}={getattr(self, k)!r}" for k, v in defaults.items() if getattr(self, k) != v]
        if self.stopwords:
            parts.append(f"stopwords=<{len(self.stopwords)} words>")
        if self.workers is not None:
            parts.append(f"workers={self.workers}")
        return f"KoreanTokenizer({', '.join(parts)})"

    def _key(self) -> tuple:
        return (self.tags, self.drop_particles, self.drop_endings, self.drop_punctuation,
                self.content_only, self.normalize, self.stopwords)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KoreanTokenizer) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
