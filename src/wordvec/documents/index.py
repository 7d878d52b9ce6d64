"""DocumentIndex: document vectors for a collection, searched by cosine similarity.

The "recommend books with similar plots" use case: index ``(id, title, text)`` records, then
``most_similar(doc_id=...)`` for the documents closest to one of them, or
``most_similar(text=...)`` for a free-text query. ``similarity_matrix()`` gives all pairwise
cosines for small collections. ``read_documents`` reads a TSV/CSV file with a header.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

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

def _open(path: Path):
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")  # noqa: SIM115 - closed with the wrapper
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_documents(path: str | os.PathLike[str], *, id_column: str = "id", title_column: str | None = "title",
                   text_column: str = "text") -> list[Document]:
    """Read ``(id, title, text)`` records from a TSV (no quoting) or CSV (``*.csv[.gz]``) file
    with a header. Without a title column (``title_column=None`` or absent from the header)
    the title is the id. Errors name the file and line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    stem = path.name.removesuffix(".gz")
    is_csv = stem.lower().endswith(".csv")
    docs: list[Document] = []
    with _open(path) as fh:
        if is_csv:
            if csv.field_size_limit() < 1 << 30:
                csv.field_size_limit(min(sys.maxsize, 1 << 30))
            reader = csv.reader(fh)

            def records():
                start = 1
                for fields in reader:
                    yield start, fields
                    start = reader.line_num + 1
        else:
            def records():
                for n, line in enumerate(fh, 1):
                    yield n, line.rstrip("\r\n").split("\t")
        it = ((n, f) for n, f in records() if any(x.strip() for x in f))
        try:
            header_line, header = next(it)
        except StopIteration:
            raise ValueError(f"{path}: empty file (expected a header with {id_column!r} and {text_column!r})") from None
        header = [h.strip() for h in header]
        cols = {}
        for name, role in ((id_column, "id"), (text_column, "text")):
            if name not in header:
                raise ValueError(f"{path}:{header_line}: no {role} column {name!r} in the header; columns are {header}")
            cols[role] = header.index(name)
        ti = header.index(title_column) if title_column and title_column in header else None
        need = max([*cols.values(), ti or 0]) + 1
        seen: dict[str, int] = {}
        for n, fields in it:
            if len(fields) < need:
                raise ValueError(f"{path}:{n}: {len(fields)} field(s), expected at least {need} (columns {header})")
            doc_id = fields[cols["id"]].strip()
            if not doc_id:
                raise ValueError(f"{path}:{n}: empty id")
            if doc_id in seen:
                raise ValueError(f"{path}:{n}: duplicate id {doc_id!r} (first at line {seen[doc_id]})")
            seen[doc_id] = n
            title = fields[ti].strip() if ti is not None else doc_id
            docs.append(Document(doc_id, title, fields[cols["text"]]))
    if not docs:
        raise ValueError(f"{path}: no documents after the header")
    return docs
