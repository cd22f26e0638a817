"""Paraphrased rewrites: articles whose sentences align one to one by meaning though their words differ.

Two stages, so that only candidate articles are embedded:

1. Candidates (every article, cheap). An article's *signature* is its bag of content words (lower-cased
   words of three or more letters off a stop list, and numbers), weighted 1 + log tf and folded into
   ``SIGNATURE_DIM`` dimensions by the hashing trick (each word adds its weight, with a sign taken from its
   hash, to the dimension its hash names: an unbiased random projection of the bag of words), then
   L2-normalised. An approximate nearest-neighbour index (:mod:`newsift.corpus.ann`) proposes each article's
   ``NEIGHBOURS`` nearest signatures; pairs with a signature cosine >= ``CANDIDATE_COSINE`` are candidates.
   A paraphrase keeps most names, numbers and topic words, so it stays near its origin here.
2. Check (candidates only). Both articles' sentences are embedded with all-MiniLM-L6-v2 (:class:`SentenceVectors`:
   batched across articles, kept in the store's ``sentence_vectors`` table so no article is embedded
   twice). The sentences are aligned greedily one to one: every sentence pair with cosine >=
   ``SENTENCE_COSINE``, best first, each sentence used at most once. With M aligned pairs among n_a and n_b
   sentences the pair's similarity is the aligned share 2M / (n_a + n_b); it is a paraphrased rewrite when
   that share is >= the threshold and M >= ``MIN_ALIGNED``.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from newsift.corpus.store import Store, pack_vectors, unpack_vectors

SIGNATURE_DIM = 512
NEIGHBOURS = 10
CANDIDATE_COSINE = 0.35
SENTENCE_COSINE = 0.6
MIN_ALIGNED = 2
DEFAULT_SHARE = 0.5
PAIRS_PER_BATCH = 2000
MODEL = "all-MiniLM-L6-v2"

_WORD = re.compile(r"[^\W\d_]{3,}|\d+(?:[.,]\d+)*", re.UNICODE)
STOP_WORDS = frozenset(
    """the and for are but not you all any can had her was one our out day get has him his how man new now old
    see two way who boy did its let put say she too use that with have this will your from they know want been
    good much some time very when come here just like long make many more only over such take than them well
    were what also into most said says after about would there their which could other these those being while
    where because before should though through during under since until again against between both each few
    further once same then very own off why whom yet may might must shall per via upon onto told according""".split()
)


def signature(text: str) -> np.ndarray:
    """The article's hashed, L2-normalised bag of content words (``SIGNATURE_DIM`` float32)."""
    counts = Counter(w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)
    vector = np.zeros(SIGNATURE_DIM, np.float32)
    for word, tf in counts.items():
        h = zlib.crc32(word.encode())
        vector[h % SIGNATURE_DIM] += (1.0 + math.log(tf)) * (1.0 if h & 0x80000000 else -1.0)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


@dataclass
class Embedded:
    """An article's sentences (character ranges) and their normalised embeddings (n x 384)."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray


@dataclass
class Alignment:
    """A greedy one-to-one sentence alignment: ``pairs`` of (origin sentence, copy sentence, cosine)."""

    pairs: list[tuple[int, int, float]]
    share: float


def align(a: Embedded, b: Embedded, sentence_cosine: float = SENTENCE_COSINE) -> Alignment:
    """Greedy one-to-one alignment of two articles' sentences by embedding cosine (best pairs first)."""
    if not a.spans or not b.spans:
        return Alignment([], 0.0)
    sims = a.vectors @ b.vectors.T
    rows, cols = np.nonzero(sims >= sentence_cosine)
    order = np.argsort(-sims[rows, cols], kind="stable")
    used_a, used_b, pairs = set(), set(), []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, float(sims[i, j])))
    return Alignment(sorted(pairs, key=lambda p: p[1]), 2 * len(pairs) / (len(a.spans) + len(b.spans)))


def diff_steps(origin: str, a: Embedded, copy: str, b: Embedded, alignment: Alignment) -> list[dict]:
    """The alignment as side-by-side diff steps in the copy's order, like
    :func:`newsift.corpus.clusters.align_sentences`: ``{"op", "origin": [start, end], "copy": [start, end]}``;
    an aligned pair is ``equal`` (same words) or ``replace`` (reworded, with its ``cosine``), a copy sentence
    without a match is ``insert``, an origin sentence without one is ``delete`` (placed before the first copy
    sentence aligned with a later origin sentence)."""
    matched = {j: (i, cosine) for i, j, cosine in alignment.pairs}
    dropped = sorted(set(range(len(a.spans))) - {i for i, _, _ in alignment.pairs})
    steps: list[dict] = []
    at = 0  # where in the origin an inserted sentence goes

    def flush_deletes(before: int) -> None:
        nonlocal at
        while dropped and dropped[0] < before:
            s, e = a.spans[dropped.pop(0)]
            steps.append({"op": "delete", "origin": [s, e], "copy": [copy_at, copy_at]})
            at = e

    copy_at = 0
    for j, (cs, ce) in enumerate(b.spans):
        copy_at = cs
        if j in matched:
            i, cosine = matched[j]
            flush_deletes(i)
            s, e = a.spans[i]
            same = " ".join(origin[s:e].lower().split()) == " ".join(copy[cs:ce].lower().split())
            steps.append({"op": "equal" if same else "replace", "origin": [s, e], "copy": [cs, ce],
                          "cosine": round(cosine, 3)})
            at = e
        else:
            steps.append({"op": "insert", "origin": [at, at], "copy": [cs, ce]})
        copy_at = ce
    flush_deletes(len(a.spans))
    return steps


class SentenceVectors:
    """Sentence embeddings of articles, made on demand in batches and kept in the store when one is given
    (table ``sentence_vectors``: spans as JSON, float16 vectors as base64), else in memory."""

    def __init__(self, text_of: Callable[[str], str], store: Store | None = None) -> None:
        self.text_of = text_of
        self.store = store
        self.memory: dict[str, Embedded] = {}
        self.embedded = 0  # sentences embedded by this object (the cost)

    def get(self, ids: Iterable[str]) -> dict[str, Embedded]:
        """The embedded sentences of each article, embedding in one batch those not kept yet."""
        wanted = list(dict.fromkeys(ids))
        found = {i: self.memory[i] for i in wanted if i in self.memory}
        found.update(self._stored([i for i in wanted if i not in found]))
        missing = [i for i in wanted if i not in found]
        if missing:
            made = self._embed(missing)
            self._keep(made)
            found.update(made)
        return found

    def _embed(self, ids: list[str]) -> dict[str, Embedded]:
        from newsift.factchecks.embed import encode
        from newsift.pipeline import rule_sentences

        texts = {i: self.text_of(i) for i in ids}
        spans = {i: rule_sentences(t) for i, t in texts.items()}
        sentences = [texts[i][s:e] for i in ids for s, e in spans[i]]
        vectors = encode(sentences, cache=False)
        self.embedded += len(sentences)
        out, at = {}, 0
        for i in ids:
            n = len(spans[i])
            out[i] = Embedded(spans[i], vectors[at : at + n])
            at += n
        return out

    def _stored(self, ids: list[str]) -> dict[str, Embedded]:
        if self.store is None or not ids:
            return {}
        out = {}
        rows = self.store.db.select_in(
            "SELECT article_id, spans, vectors FROM sentence_vectors WHERE model = ? AND article_id IN ({})",
            ids,
            [MODEL],
        )
        for article_id, spans, vectors in rows:
            n = len(json.loads(spans))
            array = unpack_vectors(vectors).astype(np.float32).reshape(n, -1)
            out[article_id] = Embedded([tuple(s) for s in json.loads(spans)], array)
        return out

    def _keep(self, made: dict[str, Embedded]) -> None:
        if self.store is None:
            self.memory.update(made)
            return
        rows = [
            (i, MODEL, json.dumps(e.spans), pack_vectors(e.vectors))
            for i, e in made.items()
        ]
        with self.store.db.transaction():
            self.store.db.executemany(
                "INSERT INTO sentence_vectors (article_id, model, spans, vectors) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, spans = excluded.spans, "
                "vectors = excluded.vectors",
                rows,
            )


@dataclass
class ParaphraseSearch:
    """Collects article signatures while the corpus streams by, then finds paraphrased pairs among them."""

    vectors: SentenceVectors
    share: float = DEFAULT_SHARE
    threads: int = 1
    ids: list[str] = field(default_factory=list)
    signatures: list[np.ndarray] = field(default_factory=list)
    checked: int = 0  # candidate pairs checked with sentence embeddings

    def add(self, article_id: str, text: str) -> None:
        self.ids.append(article_id)
        self.signatures.append(signature(text).astype(np.float16))

    def candidates(self) -> list[tuple[str, str]]:
        """Candidate pairs by signature, most similar first."""
        from newsift.corpus.ann import similar_pairs

        if not self.signatures:
            return []
        matrix = np.stack(self.signatures).astype(np.float32)
        pairs = sorted(similar_pairs(matrix, NEIGHBOURS, CANDIDATE_COSINE, self.threads), key=lambda p: -p[2])
        return [(self.ids[i], self.ids[j]) for i, j, _ in pairs]

    def links(self, linked: Callable[[str, str], bool]) -> Iterator[tuple[str, str, float]]:
        """Paraphrased pairs (a, b, aligned share) among the candidates not ``linked`` already, checked in
        batches of ``PAIRS_PER_BATCH`` (one embedding batch each)."""
        pairs = self.candidates()
        for start in range(0, len(pairs), PAIRS_PER_BATCH):
            batch = [(a, b) for a, b in pairs[start : start + PAIRS_PER_BATCH] if not linked(a, b)]
            embedded = self.vectors.get(x for pair in batch for x in pair)
            for a, b in batch:
                if linked(a, b):
                    continue
                self.checked += 1
                alignment = align(embedded[a], embedded[b])
                if alignment.share >= self.share and len(alignment.pairs) >= MIN_ALIGNED:
                    yield a, b, alignment.share

    def compare(self, origin_id: str, copy_id: str) -> tuple[float, list[dict]]:
        """The aligned share of a copy with its origin and the diff steps between them."""
        embedded = self.vectors.get([origin_id, copy_id])
        a, b = embedded[origin_id], embedded[copy_id]
        alignment = align(a, b)
        steps = diff_steps(self.vectors.text_of(origin_id), a, self.vectors.text_of(copy_id), b, alignment)
        return alignment.share, steps
