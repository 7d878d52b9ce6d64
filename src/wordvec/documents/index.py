"""DocumentIndex: document vectors for a collection, searched by cosine similarity.

The "recommend books with similar plots" use case: index ``(id, title, text)`` records, then
``most_similar(doc_id=...)`` for the documents closest to one of them, or
``most_similar(text=...)`` for a free-text query. ``similarity_matrix()`` gives all pairwise
cosines for small collections. ``read_documents`` reads a TSV/CSV file with a header.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from wordvec.corpus.tables import Table
from wordvec.corpus.tokenizers import Tokenizer
from wordvec.documents.vectors import DocumentVectorizer

__all__ = ["Document", "DocumentIndex", "Match", "read_documents"]


class Document(NamedTuple):
    id: str
    title: str
    text: str


class Match(NamedTuple):
    id: str
    title: str
    score: float


class DocumentIndex:
    """Document vectors of a collection, with cosine-similarity search.

    Parameters
    ----------
    vectors:
        Word vectors: anything with ``__contains__``, ``__getitem__`` and ``vector_size``.
    documents:
        ``(id, title, text)`` records (``Document`` or plain tuples); ids must be unique.
    weighting, tokenizer, sif_a:
        Passed to :class:`~wordvec.documents.vectors.DocumentVectorizer` (fitted on the collection).
    """

    def __init__(self, vectors, documents: Iterable[Document | Sequence[str]], *, weighting: str = "mean",
                 tokenizer: str | Tokenizer = "regex", sif_a: float = 1e-3):
        docs: list[Document] = []
        position: dict[str, int] = {}
        for i, d in enumerate(documents):
            if len(d) != 3:
                raise ValueError(f"document #{i} must be (id, title, text), got {len(d)} fields")
            doc = Document(str(d[0]), str(d[1]), str(d[2]))
            if doc.id in position:
                raise ValueError(f"duplicate document id {doc.id!r} (documents #{position[doc.id]} and #{i})")
            position[doc.id] = i
            docs.append(doc)
        if not docs:
            raise ValueError("no documents to index")
        self.documents: list[Document] = docs
        self.id_to_position: dict[str, int] = position
        self.vectorizer = DocumentVectorizer(vectors, weighting=weighting, tokenizer=tokenizer, sif_a=sif_a)
        #: (n_documents, vector_size) float32 document vectors.
        self.vectors: np.ndarray = self.vectorizer.fit_transform([d.text for d in docs])
        self._unit = _normalise(self.vectors)

    def __len__(self) -> int:
        return len(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.id_to_position

    def __repr__(self) -> str:
        return f"DocumentIndex({len(self)} documents, weighting={self.vectorizer.weighting!r})"

    @property
    def empty_documents(self) -> list[str]:
        """Ids of documents with no known word (zero vectors: they match nothing)."""
        return [d.id for d, row in zip(self.documents, self._unit) if not row.any()]

    def position(self, doc_id: str) -> int:
        try:
            return self.id_to_position[doc_id]
        except KeyError:
            raise KeyError(f"no document with id {doc_id!r} in the index ({len(self)} documents)") from None

    def vector(self, text: str) -> np.ndarray:
        """The document vector of a free text, weighted as the collection's."""
        return self.vectorizer.transform([text])[0]

    def most_similar(self, doc_id: str | None = None, *, text: str | None = None, topn: int = 10) -> list[Match]:
        """The ``topn`` documents closest (cosine) to document ``doc_id`` (itself left out) or to
        a free ``text`` (nothing left out), best first. Give exactly one of ``doc_id``, ``text``.
        """
        if (doc_id is None) == (text is None):
            raise ValueError("give exactly one of doc_id and text")
        if topn < 1:
            raise ValueError(f"topn must be >= 1, got {topn}")
        if doc_id is not None:
            exclude = self.position(doc_id)
            query = self._unit[exclude]
        else:
            exclude = -1
            query = _normalise(self.vector(text)[None, :])[0]
            if not query.any():
                raise ValueError(f"none of the words of the query is in the vectors: {text!r}")
        scores = self._unit @ query
        if exclude >= 0:
            scores[exclude] = -np.inf
        k = min(topn, len(scores) - (exclude >= 0))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.lexsort((top, -scores[top]))]  # by score, then by position for ties
        return [Match(self.documents[i].id, self.documents[i].title, float(scores[i])) for i in top
                if np.isfinite(scores[i])]

    def similarity_matrix(self, max_documents: int = 10_000) -> np.ndarray:
        """All pairwise cosine similarities, ``(n, n)`` float32 (rows in collection order).

        Refuses collections over ``max_documents`` (the matrix grows as n²).
        """
        if len(self) > max_documents:
            raise ValueError(f"{len(self)} documents: the similarity matrix would have {len(self) ** 2:,} "
                             f"entries; raise max_documents or use most_similar()")
        return (self._unit @ self._unit.T).astype(np.float32)


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0).astype(np.float32)


# ---------------------------------------------------------------------------- reading

def read_documents(path: str | os.PathLike[str], *, id_column: str = "id", title_column: str | None = "title",
                   text_column: str = "text", encoding: str = "utf-8") -> list[Document]:
    """Read ``(id, title, text)`` records from a TSV (no quoting) or CSV (``*.csv[.gz]``) file
    with a header (see :class:`wordvec.corpus.tables.Table`). Without a title column
    (``title_column=None`` or absent from the header) the title is the id. Errors name the file
    and line. ``encoding`` is the file's (``"cp949"``, ``"latin-1"``, ...)."""
    docs: list[Document] = []
    with Table(path, expected=f"a header with {id_column!r} and {text_column!r}", encoding=encoding) as table:
        path = table.path
        ii = table.column(id_column, "id")
        xi = table.column(text_column, "text")
        ti = table.header.index(title_column) if title_column and title_column in table.header else None
        seen: dict[str, int] = {}
        for n, fields in table.records(max(ii, xi, ti or 0) + 1):
            doc_id = fields[ii].strip()
            if not doc_id:
                raise ValueError(f"{path}:{n}: empty id")
            if doc_id in seen:
                raise ValueError(f"{path}:{n}: duplicate id {doc_id!r} (first at line {seen[doc_id]})")
            seen[doc_id] = n
            title = fields[ti].strip() if ti is not None else doc_id
            docs.append(Document(doc_id, title, fields[xi]))
    if not docs:
        raise ValueError(f"{path}: no documents after the header")
    return docs
