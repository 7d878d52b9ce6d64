"""Words as character ids: AllenNLP's 262-id byte scheme (``ELMoCharacterMapper``).

A word becomes ``max_characters_per_token`` ids: begin-of-word, the word's UTF-8 bytes (cut to
fit), end-of-word, then padding. The ids are the byte values and five markers, all shifted by
one so that 0 stays free for "no token here" (a padded position of a batch):

=====================  ===========
UTF-8 byte b           b + 1 (1-256)
begin of sentence      257
end of sentence        258
begin of word          259
end of word            260
padding                261
=====================  ===========

The sentence markers ``<S>`` and ``</S>`` are words of their own: begin-of-word, the marker,
end-of-word. This is the scheme the published ELMo weight files were trained with, so their
character embeddings (261 rows, for ids 1-261) load unchanged.

NumPy only: no torch here.

>>> word_char_ids("ok", 6).tolist()
[259, 112, 108, 260, 261, 261]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["BOS", "EOS", "N_CHARACTERS", "PAD_ID", "PADDING_CHARACTER", "UNK", "char_table", "sentence_char_ids", "word_char_ids"]

#: The sentence markers (AllenNLP's ``bos_token`` / ``eos_token``) and the softmax's unknown word.
BOS, EOS, UNK = "<S>", "</S>", "<UNK>"
#: Character ids 0-261: 0 pads a batch, 1-261 are the scheme above.
N_CHARACTERS = 262
PAD_ID = 0
#: The id of the padding character after a word's end (inside its max_characters).
PADDING_CHARACTER = 261

_BOS_CHAR, _EOS_CHAR, _BOW, _EOW, _PAD = 256, 257, 258, 259, 260


def word_char_ids(word: str, max_characters: int = 50) -> np.ndarray:
    """The ``max_characters`` character ids (int32) of ``word``; ``"<S>"``/``"</S>"`` are the markers.

    >>> word_char_ids("bank", max_characters=8).tolist()    # begin-of-word, the bytes + 1, end-of-word, padding
    [259, 99, 98, 111, 108, 260, 261, 261]
    >>> word_char_ids("<S>", max_characters=8).tolist()
    [259, 257, 260, 261, 261, 261, 261, 261]
    """
    ids = np.full(max_characters, _PAD + 1, dtype=np.int32)
    ids[0] = _BOW + 1
    if word == BOS or word == EOS:
        ids[1] = (_BOS_CHAR if word == BOS else _EOS_CHAR) + 1
        ids[2] = _EOW + 1
        return ids
    data = word.encode("utf-8", "ignore")[: max_characters - 2]
    ids[1:1 + len(data)] = np.frombuffer(data, dtype=np.uint8).astype(np.int32) + 1
    ids[1 + len(data)] = _EOW + 1
    return ids


def char_table(words: Sequence[str], max_characters: int = 50) -> np.ndarray:
    """The ``(len(words), max_characters)`` int32 character ids of ``words``, one row each.

    >>> table = char_table(["bank", "river"], max_characters=10)
    >>> table.shape, table.dtype
    ((2, 10), dtype('int32'))
    """
    out = np.empty((len(words), max_characters), dtype=np.int32)
    for i, word in enumerate(words):
        out[i] = word_char_ids(word, max_characters)
    return out


def sentence_char_ids(sentences: Sequence[Sequence[str]], max_characters: int = 50,
                      *, markers: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A padded batch: ``(ids, lengths)``, ids of shape ``(batch, longest, max_characters)``.

    >>> ids, lengths = sentence_char_ids([["the", "bank"], ["a"]], max_characters=10)
    >>> ids.shape, lengths.tolist()                         # <S> and </S> counted
    ((2, 4, 10), [4, 3])

    With ``markers`` each sentence is wrapped in ``<S>`` ... ``</S>`` (its length counts them);
    padded positions are all 0.
    """
    lengths = np.array([len(s) + (2 if markers else 0) for s in sentences], dtype=np.int64)
    out = np.zeros((len(sentences), int(lengths.max(initial=0)), max_characters), dtype=np.int32)
    cache: dict[str, np.ndarray] = {}
    for b, sent in enumerate(sentences):
        words = [BOS, *sent, EOS] if markers else sent
        for t, word in enumerate(words):
            row = cache.get(word)
            if row is None:
                row = cache[word] = word_char_ids(word, max_characters)
            out[b, t] = row
    return out, lengths
