"""DocumentIndex: document vectors for a collection, searched by cosine similarity.

The "recommend books with similar plots" use case: index ``(id, title, text)`` records, then
``most_similar(doc_id=...)`` for the documents closest to one of them, or
``most_similar(text=...)`` for a free-text query. ``similarity_matrix()`` gives all pairwise
cosines for small collections. ``read_documents`` reads a TSV/CSV file with a header, guessing
which columns hold the id, the title and the text unless told.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from wordvec.corpus.tables import Table
from wordvec.corpus.tokenizers import Tokenizer
from wordvec.documents.vectors import DocumentVectorizer

__all__ = ["ID_COLUMNS", "TEXT_COLUMNS", "TITLE_COLUMNS", "Document", "DocumentIndex", "Match", "read_documents"]

#: Column names tried, in order and in any case, when no id column is named.
ID_COLUMNS = ("id", "doc_id", "document_id", "docid", "key", "uid")
#: Column names tried, in order, when no title column is named.
TITLE_COLUMNS = ("title", "name", "headline", "subject", "heading")
#: Column names tried, in order, when no text column is named (those of the classifier's tables first).
TEXT_COLUMNS = ("text", "sentence", "content", "review", "document", "message", "body", "plot", "summary",
                "description", "abstract")


class Document(NamedTuple):
    """One record of a collection: its id, its title (the id when the file has none) and its text.

    >>> Document("1", "Kings", "the king rules")
    Document(id='1', title='Kings', text='the king rules')
    """

    id: str
    title: str
    text: str


class Match(NamedTuple):
    """A document found by :meth:`DocumentIndex.most_similar`: its id, title, cosine ``score`` and text.

    >>> Match(id="2", title="Pets", score=0.98, text="a dog and a cat")
    Match(id='2', title='Pets', score=0.98, text='a dog and a cat')
    """

    id: str
    title: str
    score: float
    text: str = ""


class DocumentIndex:
    """Document vectors of a collection, with cosine-similarity search.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "dog", "cat"], np.array([[1, 0.1], [1, 0.2], [0.1, 1], [0.2, 1]]))
    >>> index = DocumentIndex(wv, [("1", "Royals", "the king and the queen"), ("2", "Pets", "a dog and a cat"),
    ...                            ("3", "Court", "the queen")])
    >>> [(m.id, round(m.score, 3)) for m in index.most_similar("3", topn=2)]
    [('1', 0.999), ('2', 0.339)]
    >>> index.most_similar(text="my cat", topn=1)[0].title
    'Pets'

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
        return [Match(self.documents[i].id, self.documents[i].title, float(scores[i]), self.documents[i].text)
                for i in top if np.isfinite(scores[i])]

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

def read_documents(path: str | os.PathLike[str], *, id_column: str | None = None, title_column: str | None = None,
                   text_column: str | None = None, encoding: str = "utf-8") -> list[Document]:
    """Read ``(id, title, text)`` records from a TSV (no quoting) or CSV (``*.csv[.gz]``) file
    with a header (see :class:`wordvec.corpus.tables.Table`).

    >>> with open("films.csv", "w", encoding="utf-8") as f:
    ...     print("id,name,plot", file=f)
    ...     print('1,Up,"an old man, a house and balloons"', file=f)
    ...
    >>> read_documents("films.csv")                   # columns guessed from the header
    [Document(id='1', title='Up', text='an old man, a house and balloons')]

    A column left as None is guessed from the header as ``wordvec classify`` guesses its
    columns, in any case: the text is the first of :data:`TEXT_COLUMNS` (``text``, ``sentence``,
    ``content``, ..., ``plot``, ``summary``), the id the first of :data:`ID_COLUMNS`, the title
    the first of :data:`TITLE_COLUMNS`. A file without an id column gets each record's line
    number as its id; without a title column the title is the id. A column named but absent
    from the header, or no text column to guess, is a ValueError naming the file, the header's
    line and its columns; so is an empty or duplicate id. ``encoding`` is the file's
    (``"cp949"``, ``"latin-1"``, ...)."""
    docs: list[Document] = []
    with Table(path, expected="a header naming the text column (and the id and title columns)",
               encoding=encoding) as table:
        path = table.path
        xi = _column(table, text_column, TEXT_COLUMNS, "text", "--text-column / text_column", ())
        ii = _column(table, id_column, ID_COLUMNS, "id", None, (xi,))
        ti = _column(table, title_column, TITLE_COLUMNS, "title", None, (xi, ii))
        used = [(i, what) for i, what in ((xi, "text"), (ii, "id"), (ti, "title")) if i is not None]
        for k, (i, what) in enumerate(used):
            for j, other in used[k + 1:]:
                if i == j:
                    raise ValueError(f"{table.where}: the {what} and {other} columns are the same column "
                                     f"{table.header[i]!r}")
        seen: dict[str, int] = {}
        for n, fields in table.records(max(i for i, _ in used) + 1):
            doc_id = fields[ii].strip() if ii is not None else str(n)
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


def _column(table: Table, wanted: str | None, candidates: Sequence[str], what: str, option: str | None,
            taken: Sequence[int | None]) -> int | None:
    """The column named ``wanted`` (in any case), else the first of ``candidates`` in the header
    that is not ``taken`` by another role; with no ``option`` to name (the column is optional),
    None when no candidate is there."""
    if wanted is not None:
        return table.column(wanted, what, ignore_case=True)
    lowered = [h.lower() for h in table.header]
    for name in candidates:
        if name in lowered and lowered.index(name) not in taken:
            return lowered.index(name)
    if option is None:
        return None
    return table.guess_column((), what, option)  # the error that names the option
