"""Features for technique detection, read off the foundation's spaCy parse.

Sparse features are strings hashed into ``2**bits`` buckets with CRC-32 (stable across runs and machines,
unlike Python's ``hash``); span features feed the technique classifier. Dense features come from the
parser's tok2vec vectors (already computed by the parse) and the static MiniLM word-piece embeddings
(``newsift.techniques.wordpieces``): span vectors feed the classifier, sentence vectors the sentence gate.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from spacy.tokens import Token
from tokenizers import Encoding

from newsift.document import Document
from newsift.techniques.wordpieces import encode, piece_means

_QUOTES_OPEN = {"“", "«", "‘"}
_QUOTES_CLOSE = {"”", "»", "’"}
_QUOTES_BOTH = {'"', "''", "``"}
_SPACE = re.compile(r"\s+")
_HASHES: dict[tuple[str, int], int] = {}
_HASH_CACHE_MAX = 500_000
VECTOR_WIDTH = 96  # en_core_web_sm's tok2vec width
_NO_VECTOR = np.zeros(VECTOR_WIDTH, np.float32)


def feature_index(feature: str, bits: int) -> int:
    """Bucket of a feature string: ``crc32(utf8(feature)) mod 2**bits`` (memoised)."""
    key = (feature, bits)
    idx = _HASHES.get(key)
    if idx is None:
        if len(_HASHES) > _HASH_CACHE_MAX:
            _HASHES.clear()
        idx = _HASHES[key] = zlib.crc32(feature.encode("utf-8", "surrogatepass")) & ((1 << bits) - 1)
    return idx


def hashed(features: list[str], bits: int) -> list[int]:
    return [feature_index(f, bits) for f in features]


def count_bin(n: int) -> str:
    """A coarse bucket for a count: 0, 1, 2, 3, 4-5, 6-10, 11-20, 21+."""
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (10, "6-10"), (20, "11-20")):
        if n <= limit:
            return name
    return "21+"


@dataclass
class ArticleTokens:
    """The article's non-space tokens in order, with article offsets and sentence membership. Sentences
    here are the parser's, also cut at line breaks (a title is never one sentence with the body)."""

    text: str
    lower: str = ""
    tokens: list[Token] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # token index ranges
    in_quote: list[bool] = field(default_factory=list)
    lemma_counts: Counter = field(default_factory=Counter)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, VECTOR_WIDTH), np.float32))

    @classmethod
    def of(cls, doc: Document) -> ArticleTokens:
        art = cls(text=doc.text, lower=doc.text.lower())
        rows: list[np.ndarray] = []
        for chunk, sent in doc.parsed_sentences():
            tensor = chunk.doc.tensor
            art.close_sentence()
            quoted = False
            for tok in sent:
                if tok.is_space or not tok.text.strip():
                    if "\n" in tok.text or "\r" in tok.text:
                        art.close_sentence()
                    continue
                quoted = _quote_state(tok.text, quoted)
                art.tokens.append(tok)
                art.starts.append(chunk.offset + tok.idx)
                art.ends.append(chunk.offset + tok.idx + len(tok.text))
                art.in_quote.append(quoted)
                rows.append(tensor[tok.i] if tensor.shape[0] == len(chunk.doc) else _NO_VECTOR)
        art.close_sentence()
        if rows:
            art.vectors = np.asarray(rows, dtype=np.float32)
        art.lemma_counts = Counter(t.lemma_.lower() for t in art.tokens if t.is_alpha and not t.is_stop)
        return art

    def close_sentence(self) -> None:
        """End the current sentence at the last token (no-op when it would be empty)."""
        first = self.sentences[-1][1] if self.sentences else 0
        if len(self.tokens) > first:
            for _ in range(first, len(self.tokens)):
                self.sentence.append(len(self.sentences))
            self.sentences.append((first, len(self.tokens)))

    @cached_property
    def sentence_pieces(self) -> list[Encoding]:
        """Each sentence's MiniLM word pieces (no special tokens), read by the token encoder, the sentence gate
        and the classifier."""
        return [encode(self.text[self.starts[s0] : self.ends[s1 - 1]]) for s0, s1 in self.sentences]

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens overlapping ``text[start:end]``."""
        i = bisect.bisect_right(self.ends, start)
        j = bisect.bisect_left(self.starts, end)
        return i, max(i, j)


def _quote_state(text: str, quoted: bool) -> bool:
    if text in _QUOTES_OPEN:
        return True
    if text in _QUOTES_CLOSE:
        return False
    if text in _QUOTES_BOTH:
        return not quoted
    return quoted


def _word(art: ArticleTokens, i: int) -> str:
    return art.tokens[i].lower_ if 0 <= i < len(art.tokens) else "<none>"


def neighbour_features(spans: list[tuple[int, int]], k: int) -> list[str]:
    """How span ``k`` sits among the other spans of its list: listed again, inside, around or across
    others (a stretch with several techniques is listed once per technique)."""
    s, e = spans[k]
    same = inside = around = across = 0
    for n, (s2, e2) in enumerate(spans):
        if n == k or e2 <= s or s2 >= e:
            continue
        if (s2, e2) == (s, e):
            same += 1
        elif s2 <= s and e <= e2:
            inside += 1
        elif s <= s2 and e2 <= e:
            around += 1
        else:
            across += 1
    return [f"same={min(same, 3)}", f"inside={min(inside, 3)}", f"around={min(around, 3)}",
            f"across={min(across, 3)}"]


def span_features(art: ArticleTokens, start: int, end: int) -> list[str]:
    """Features of the span ``text[start:end]`` for the technique classifier: its words, length,
    repetitions in the article, punctuation, surrounding words and sentence."""
    i, j = art.token_range(start, end)
    toks = art.tokens[i:j]
    surface = _SPACE.sub(" ", art.text[start:end].strip()).lower()
    n = j - i
    feats = ["n=" + count_bin(n), "chars=" + count_bin(len(surface) // 10)]
    feats += ["w:" + t.lower_ for t in toks] + ["l:" + t.lemma_.lower() for t in toks]
    feats += ["b:" + a.lower_ + "|" + b.lower_ for a, b in zip(toks, toks[1:], strict=False)]
    if n <= 6:
        feats.append("full:" + surface)
        feats.append("pp:" + "_".join(t.pos_ for t in toks))
    if toks:
        feats += ["fp:" + toks[0].pos_, "lp:" + toks[-1].pos_]
        feats += ["fw:" + toks[0].lower_, "lw:" + toks[-1].lower_]
        roots = [t for t in toks if t.head.i == t.i or not toks[0].i <= t.head.i <= toks[-1].i]
        feats += ["root:" + t.dep_ + "|" + t.pos_ for t in roots[:2]]
        feats += ["head:" + t.head.lemma_.lower() for t in roots[:2] if t.head.i != t.i]
        feats += ["wp:" + t.lower_ + "|" + t.pos_ for t in toks]
        feats += ["ent:" + t.ent_type_ for t in toks if t.ent_type_]
        content = [art.lemma_counts[t.lemma_.lower()] for t in toks if t.is_alpha and not t.is_stop]
        if content:
            feats.append("lrep_max=" + count_bin(max(content)) + "|n=" + count_bin(n))
            feats.append("lrep_min=" + count_bin(min(content)))
    reps = art.lower.count(surface) if surface else 0
    earlier = art.lower.count(surface, 0, start) if surface else 0
    feats += ["rep=" + count_bin(reps), "rep|n=" + count_bin(reps) + "|" + count_bin(n),
              "earlier=" + count_bin(earlier)]
    feats += ["L:" + _word(art, i - 1), "L2:" + _word(art, i - 2)]
    feats += ["R:" + _word(art, j), "R2:" + _word(art, j + 1), "L3:" + _word(art, i - 3),
              "R3:" + _word(art, j + 2)]
    raw = art.text[start:end]
    feats += ["!=" + str("!" in raw), "?=" + str("?" in raw), "quoted=" + str(any(art.in_quote[i:j])),
              "upper=" + str(raw.isupper()), "hash=" + str("#" in raw)]
    if toks:
        s0, s1 = art.sentences[art.sentence[i]]
        feats.append("cover=" + str(min(4, n * 4 // max(1, s1 - s0))))
        feats += ["s:" + art.tokens[k].lemma_.lower() for k in range(s0, s1)
                  if not i <= k < j and art.tokens[k].is_alpha and not art.tokens[k].is_stop]
    return feats


def _mean_rows(vectors: np.ndarray, i: int, j: int) -> np.ndarray:
    return vectors[i:j].mean(axis=0) if j > i else np.zeros(vectors.shape[1], np.float32)


def span_sentence(art: ArticleTokens, start: int, end: int) -> tuple[int, int]:
    """Token range ``[s0, s1)`` of the sentence holding the span's first token."""
    i = min(art.token_range(start, end)[0], len(art.tokens) - 1)
    return art.sentences[art.sentence[i]]


def span_vector(art: ArticleTokens, start: int, end: int) -> np.ndarray:
    """Dense features of a span from the parser's tok2vec vectors (``5 * VECTOR_WIDTH`` values): the mean and
    the maximum over its tokens, the mean over its sentence and over up to three tokens either side in it."""
    if not art.tokens:
        return np.zeros(5 * VECTOR_WIDTH, np.float32)
    i, j = art.token_range(start, end)
    i = min(i, len(art.tokens) - 1)
    j = max(j, i + 1)
    s0, s1 = span_sentence(art, start, end)
    v = art.vectors
    return np.concatenate([v[i:j].mean(axis=0), v[i:j].max(axis=0), _mean_rows(v, s0, s1),
                           _mean_rows(v, max(s0, i - 3), max(s0, i)), _mean_rows(v, min(j, s1), min(s1, j + 3))])


def sentence_vectors(art: ArticleTokens) -> np.ndarray:
    """``(sentences, wordpieces.WIDTH + VECTOR_WIDTH)`` dense features of each sentence: its mean MiniLM
    word-piece embedding and its mean tok2vec vector."""
    tok2vec = np.asarray([art.vectors[s0:s1].mean(axis=0) for s0, s1 in art.sentences], np.float32)
    return np.hstack([piece_means([e.ids for e in art.sentence_pieces]),
                      tok2vec.reshape(len(art.sentences), VECTOR_WIDTH)])

