"""Hangul syllables to jamo and back, for subword (n-gram) models of Korean.

Park, Byun, Baek, Cho and Oh (2018), "Subword-level Word Vector Representations for Korean",
take character n-grams over *jamo* (the letters a syllable block is built from) rather than
over syllables, so that n-grams see stems and endings (먹었다 → ㅁㅓㄱ ㅇㅓㅆ ㄷㅏ∅). As in the
paper every syllable becomes exactly three symbols — initial consonant, vowel, final
consonant — with a marker standing for an empty final, so n-grams stay aligned with syllables.

The symbols are Unicode's *conjoining* jamo (initials U+1100–U+1112, vowels U+1161–U+1175,
finals U+11A8–U+11C2), which keep an initial ㄱ and a final ㄱ apart, and :data:`EMPTY_FINAL`
(U+1D25 ``ᴥ``) for a syllable without a final. Characters that are not precomposed Hangul
syllables (Latin letters, digits, the compatibility jamo of ``ㅋㅋ``) pass through unchanged,
so ``compose(decompose(s)) == s`` for any text that holds neither the marker nor conjoining
jamo of its own.

>>> decompose("한국어")
'한국어ᴥ'
>>> compose(decompose("한국어 ok ㅋㅋ")) == "한국어 ok ㅋㅋ"
True
"""

from __future__ import annotations

__all__ = ["EMPTY_FINAL", "decompose", "compose", "has_hangul"]

_SBASE, _LBASE, _VBASE, _TBASE = 0xAC00, 0x1100, 0x1161, 0x11A7
_LCOUNT, _VCOUNT, _TCOUNT = 19, 21, 28
_NCOUNT = _VCOUNT * _TCOUNT  # 588 syllables per initial
_SCOUNT = _LCOUNT * _NCOUNT  # 11,172 precomposed syllables

#: Stands for the empty final consonant, so that every syllable is three symbols.
EMPTY_FINAL = "\u1d25"

# Decomposition of every precomposed syllable, built once (11,172 entries).
_TABLE: dict[str, str] = {}
for _s in range(_SCOUNT):
    _l, _rest = divmod(_s, _NCOUNT)
    _v, _t = divmod(_rest, _TCOUNT)
    _TABLE[chr(_SBASE + _s)] = (chr(_LBASE + _l) + chr(_VBASE + _v)
                                + (chr(_TBASE + _t) if _t else EMPTY_FINAL))
_TRANS = str.maketrans(_TABLE)
del _s, _l, _rest, _v, _t


def has_hangul(text: str) -> bool:
    """True when ``text`` holds at least one precomposed Hangul syllable (U+AC00–U+D7A3).

    >>> has_hangul("영화 movie"), has_hangul("movie")
    (True, False)
    """
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def decompose(text: str) -> str:
    """Each Hangul syllable of ``text`` as three jamo (initial, vowel, final or :data:`EMPTY_FINAL`).

    >>> list(decompose("갔다"))                 # initial, vowel, final of each syllable
    ['ᄀ', 'ᅡ', 'ᆻ', 'ᄃ', 'ᅡ', 'ᴥ']
    >>> len(decompose("갔다")), decompose("ok")         # other characters are kept as they are
    (6, 'ok')
    """
    return text.translate(_TRANS)


def compose(text: str) -> str:
    """The inverse of :func:`decompose`: every (initial, vowel, final-or-marker) triple becomes a syllable.

    >>> compose(decompose("영화를 봤다"))
    '영화를 봤다'
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if i + 2 < n:
            l_ = ord(text[i]) - _LBASE
            v = ord(text[i + 1]) - _VBASE
            third = text[i + 2]
            t = 0 if third == EMPTY_FINAL else ord(third) - _TBASE
            if 0 <= l_ < _LCOUNT and 0 <= v < _VCOUNT and (third == EMPTY_FINAL or 0 < t < _TCOUNT):
                out.append(chr(_SBASE + (l_ * _VCOUNT + v) * _TCOUNT + t))
                i += 3
                continue
        out.append(text[i])
        i += 1
    return "".join(out)
