"""Vocabulary, sampling tables and Huffman codes."""

from wordvec.vocab.huffman import HuffmanTree, build_huffman, matching_inner_nodes
from wordvec.vocab.sampling import keep_probabilities, keep_thresholds, negative_guide, negative_table
from wordvec.vocab.vocab import EmptyVocabularyError, Vocab

__all__ = ["Vocab", "EmptyVocabularyError", "HuffmanTree", "build_huffman", "matching_inner_nodes",
           "keep_probabilities", "keep_thresholds", "negative_table", "negative_guide"]
