"""Fast, cached transform for fitted TF-IDF vectorizers (same numbers, a fraction of the time).

Why: scikit-learn builds every character n-gram of every post in pure Python, which cost about
70% of classification time (issue 3 asks for 5,000 posts/s on a 2-core server). Both of
Netra's vectorizers decompose over whitespace-separated words: ``char_wb`` n-grams never cross
a word boundary, and word n-grams are unigrams plus adjacent pairs. Social-media vocabulary is
Zipfian, so the feature ids of each distinct word are computed once and cached; a post then
costs a few dictionary look-ups per word, and counting, sublinear TF, IDF and L2 norm are done
with numpy for the whole batch at once.

The output equals ``vectorizer.transform`` (tests check it); training still uses the
scikit-learn vectorizer, and persistence is unchanged.
"""

from __future__ import annotations

import threading
from itertools import repeat
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Bound on cached distinct words; the cache is cleared (not evicted piecemeal) past it.
_CACHE_LIMIT = 400_000


class CachedTfidf:
    """``transform`` of a fitted word (``\\S+`` tokens, n<=2) or ``char_wb`` TfidfVectorizer."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        if vectorizer.analyzer not in ("char_wb", "word"):
            raise ValueError(f"analyzer {vectorizer.analyzer!r} tidak didukung")
        if vectorizer.analyzer == "word" and (vectorizer.token_pattern != r"\S+" or vectorizer.ngram_range[1] > 2
                                              or vectorizer.lowercase or vectorizer.stop_words):
            raise ValueError("vektorisasi kata cepat hanya untuk token_pattern \\S+, n-gram <= 2, tanpa lowercase")
        if vectorizer.norm not in ("l2", None) or vectorizer.binary:
            raise ValueError("hanya norma l2 atau tanpa norma, dan binary=False")
        self.vectorizer = vectorizer
        # Plain ints: after max_features pruning scikit-learn stores numpy integers, which hash
        # and convert to arrays many times slower.
        self.vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64) if vectorizer.use_idf else None
        self.n_features = len(self.vocabulary)
        self.char = vectorizer.analyzer == "char_wb"
        self.min_n, self.max_n = vectorizer.ngram_range
        self._analyzer = vectorizer.build_analyzer() if self.char else None
        # Character path: each distinct word is a row of a word x n-gram count matrix; a batch is
        # (documents x words) @ (words x n-grams), one sparse product in C that also sums repeats.
        self._rows: dict[str, int] = {}
        self._indices = np.zeros(0, dtype=np.int32)
        self._data = np.zeros(0, dtype=np.float64)
        self._indptr = np.zeros(1, dtype=np.int64)
        self._matrix: sparse.csr_matrix | None = None
        self._lock = threading.Lock()

    def _reset(self) -> None:
        self._rows = {}
        self._indices = np.zeros(0, dtype=np.int32)
        self._data = np.zeros(0, dtype=np.float64)
        self._indptr = np.zeros(1, dtype=np.int64)
        self._matrix = None

    def _add_words(self, words: list[str]) -> None:
        """Append rows for words not seen before; the n-gram ids of each word, with counts."""
        vocabulary, analyzer = self.vocabulary, self._analyzer
        indices: list[int] = []
        data: list[int] = []
        lengths: list[int] = []
        for word in words:
            counts: dict[int, int] = {}
            for gram in analyzer(word):  # type: ignore[misc]
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            self._rows[word] = len(self._rows)
            indices.extend(counts)
            data.extend(counts.values())
            lengths.append(len(counts))
        self._indices = np.concatenate([self._indices, np.asarray(indices, dtype=np.int32)])
        self._data = np.concatenate([self._data, np.asarray(data, dtype=np.float64)])
        self._indptr = np.concatenate([self._indptr, self._indptr[-1] + np.cumsum(lengths, dtype=np.int64)])
        self._matrix = None

    def _char_counts(self, docs: Sequence[str | Sequence[str]]) -> sparse.csr_matrix:
        split = [doc.split() if isinstance(doc, str) else doc for doc in docs]
        # One lock around the shared word cache: a dashboard may classify from several threads.
        with self._lock:
            rows = self._rows
            new = [w for words in split for w in words if w not in rows]
            if new:
                new = list(dict.fromkeys(new))
                if len(rows) + len(new) > _CACHE_LIMIT:  # start over with this batch's words only
                    self._reset()
                    new = list(dict.fromkeys(w for words in split for w in words))
                self._add_words(new)
                rows = self._rows
            if self._matrix is None:
                self._matrix = sparse.csr_matrix((self._data, self._indices, self._indptr),
                                                 shape=(len(rows), self.n_features))
            matrix = self._matrix
            lookup = rows.__getitem__
            word_ids: list[int] = []
            lengths: list[int] = []
            for words in split:
                word_ids += map(lookup, words)
                lengths.append(len(words))
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        documents = sparse.csr_matrix((np.ones(len(word_ids)), np.asarray(word_ids, dtype=np.int32), indptr),
                                      shape=(len(docs), matrix.shape[0]))
        # The sparse product already sums repeated n-grams; column order does not matter here.
        return (documents @ matrix).tocsr()

    def _word_counts(self, docs: Sequence[str]) -> sparse.csr_matrix:
        # map() keeps the per-token loop in C; unknown n-grams become -1 and are dropped below.
        ids: list[int] = []
        lengths: list[int] = []
        get = self.vocabulary.get
        unigrams, bigrams = self.min_n <= 1 <= self.max_n, self.min_n <= 2 <= self.max_n
        join = " ".join
        for doc in docs:
            before = len(ids)
            tokens = doc.split() if isinstance(doc, str) else doc
            if unigrams:
                ids += map(get, tokens, repeat(-1, len(tokens)))
            if bigrams and len(tokens) > 1:
                ids += map(get, map(join, zip(tokens, tokens[1:])), repeat(-1, len(tokens) - 1))
            lengths.append(len(ids) - before)
        columns = np.asarray(ids, dtype=np.int32)
        rows = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
        known = columns >= 0
        counts = sparse.csr_matrix((np.ones(int(known.sum()), dtype=np.float64), (rows[known], columns[known])),
                                   shape=(len(docs), self.n_features))
        counts.sum_duplicates()
        return counts

    def transform(self, docs: Sequence[str | Sequence[str]]) -> sparse.csr_matrix:
        """TF-IDF rows for documents given as text or as their whitespace tokens (saves a split)."""
        counts = self._char_counts(docs) if self.char else self._word_counts(docs)
        data = counts.data
        if self.vectorizer.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[counts.indices]
        if self.vectorizer.norm == "l2":
            row_lengths = np.diff(counts.indptr)
            owner = np.repeat(np.arange(len(docs)), row_lengths)
            norms = np.sqrt(np.bincount(owner, weights=data * data, minlength=len(docs)))
            norms[norms == 0] = 1.0
            data /= norms[owner]
        return sparse.csr_matrix((data.astype(self.vectorizer.dtype, copy=False), counts.indices, counts.indptr),
                                 shape=counts.shape)
