"""The 262-id character scheme, written out independently of the code (AllenNLP's ELMoCharacterMapper)."""

from __future__ import annotations

import numpy as np

from wordvec.contextual.chars import BOS, EOS, char_table, sentence_char_ids, word_char_ids


def expected(core: list[int], width: int = 50) -> list[int]:
    # begin-of-word 258, end-of-word 259, padding 260; everything + 1 so that 0 pads batches
    return [c + 1 for c in [258, *core, 259] + [260] * (width - len(core) - 2)]


def test_a_word_is_its_utf8_bytes_between_word_markers():
    assert word_char_ids("cat").tolist() == expected([99, 97, 116])
    assert word_char_ids("é").tolist() == expected([0xC3, 0xA9])
    assert word_char_ids("은행").tolist() == expected(list("은행".encode("utf-8")))


def test_sentence_markers():
    assert word_char_ids(BOS).tolist() == expected([256])
    assert word_char_ids(EOS).tolist() == expected([257])


def test_long_words_are_cut_to_fit_with_their_end_marker():
    ids = word_char_ids("x" * 80, 10)
    assert ids.tolist() == expected([ord("x")] * 8, 10)


def test_batches_add_markers_and_pad_with_zero():
    ids, lengths = sentence_char_ids([["a", "b"], ["c"]], 6)
    assert lengths.tolist() == [4, 3]
    assert ids.shape == (2, 4, 6)
    assert (ids[1, 3] == 0).all() and (ids[1, 2] == word_char_ids(EOS, 6)).all()
    assert (ids[0, 1] == word_char_ids("a", 6)).all()
    assert np.array_equal(char_table(["a", BOS], 6), np.stack([word_char_ids("a", 6), word_char_ids(BOS, 6)]))
