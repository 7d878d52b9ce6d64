"""Hangul syllables to jamo and back (wordvec.corpus.jamo)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from wordvec.corpus.jamo import EMPTY_FINAL, compose, decompose, has_hangul

ALL_SYLLABLES = "".join(chr(c) for c in range(0xAC00, 0xD7A4))


def test_there_are_11172_syllables_and_each_becomes_three_symbols():
    assert len(ALL_SYLLABLES) == 11_172
    out = decompose(ALL_SYLLABLES)
    assert len(out) == 3 * 11_172
    for i in range(0, len(out), 3):
        initial, vowel, final = out[i:i + 3]
        assert "\u1100" <= initial <= "\u1112"
        assert "\u1161" <= vowel <= "\u1175"
        assert final == EMPTY_FINAL or "\u11a8" <= final <= "\u11c2"


def test_round_trip_over_every_syllable():
    assert compose(decompose(ALL_SYLLABLES)) == ALL_SYLLABLES
    for syllable in ALL_SYLLABLES:  # one at a time too: no triple may bleed into the next
        assert compose(decompose(syllable)) == syllable


def test_decomposition_agrees_with_unicode_nfd():
    """Apart from the marker for an empty final, the symbols are Unicode's canonical decomposition."""
    out = decompose(ALL_SYLLABLES).replace(EMPTY_FINAL, "")
    assert out == unicodedata.normalize("NFD", ALL_SYLLABLES)


def test_open_syllables_end_with_the_empty_final_marker():
    assert decompose("가") == "\u1100\u1161" + EMPTY_FINAL
    assert decompose("각") == "\u1100\u1161\u11a8"
    assert decompose("한국어") == "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165" + EMPTY_FINAL
    assert decompose("먹었다").endswith(EMPTY_FINAL)
    # 먹었다 → ㅁㅓㄱ ㅇㅓㅆ ㄷㅏ∅: the finals ㄱ and ㅆ are final (not initial) jamo
    assert decompose("먹었다")[2] == "\u11a8" and decompose("먹었다")[5] == "\u11bb"


def test_non_hangul_is_untouched():
    for text in ["", "hello, world 123", "ㅋㅋㅋ ㅠㅠ", "漢字", "😀 ^^", "a\tb\nc"]:
        assert decompose(text) == text
        assert compose(text) == text
    assert decompose("영화 ok ㅋㅋ!") == decompose("영화") + " ok ㅋㅋ!"
    # an ending as the Korean tokenizer writes it (compatibility jamo ㄴ) keeps its ㄴ
    assert decompose("ㄴ다") == "ㄴ\u1103\u1161" + EMPTY_FINAL
    assert compose(decompose("ㄴ다")) == "ㄴ다"


@pytest.mark.parametrize("seed", range(5))
def test_round_trip_on_random_mixed_strings(seed):
    rng = random.Random(seed)
    pool = (list(ALL_SYLLABLES[::97]) + list("abcXYZ 019.,!?\t") + list("ㄱㄴㅋㅎㅏㅠ")
            + ["漢", "字", "😀", "é", "\u00a0"])
    for _ in range(200):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert compose(decompose(text)) == text


def test_has_hangul():
    assert has_hangul("abc 한 def")
    assert not has_hangul("ㅋㅋ abc")  # compatibility jamo are not syllables
    assert not has_hangul("")
