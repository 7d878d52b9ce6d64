"""Document vectors and document similarity: mean (or TF-IDF / SIF weighted) word vectors,
a searchable :class:`DocumentIndex` and a pairwise similarity matrix.

Needs only NumPy; works with any vectors object that has ``__contains__``, ``__getitem__``
and ``vector_size``.
"""

from wordvec.documents.index import ID_COLUMNS, TEXT_COLUMNS, TITLE_COLUMNS, Document, DocumentIndex, Match, read_documents
from wordvec.documents.vectors import WEIGHTINGS, DocumentVectorizer, document_vector

__all__ = ["ID_COLUMNS", "TEXT_COLUMNS", "TITLE_COLUMNS", "WEIGHTINGS", "Document", "DocumentIndex",
           "DocumentVectorizer", "Match", "document_vector", "read_documents"]
