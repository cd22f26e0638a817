"""Which verbs are attribution cues: a logistic model over a verb's lemma and its place in the parse.

``p(cue | v) = sigmoid(b + sum of w_f over the features f of v)``, the features being the lemma and its
pairings with the complement the verb takes, its subject's part of speech and entity type, its dependency
label and tag, negation and whether the sentence holds a quotation mark (:func:`cue_features`). Trained on
PolNeAR train (a verb is a positive when it falls inside a gold Cue span) by ``training/attribution``; the
weights (``newsift/data/attribution/cues.json``) are a plain feature → weight map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

CUE_POS = ("VERB", "AUX")
COMPLEMENTS = ("ccomp", "xcomp", "dobj", "obj", "attr", "oprd", "prep", "parataxis")
SUBJECTS = ("nsubj", "nsubjpass", "csubj", "agent")
QUOTES_OR_TICKS = set("\"“”«»„") | {"''", "``"}


def sentence_has_quote(sent: Span) -> bool:
    return any(t.text in QUOTES_OR_TICKS for t in sent)


def cue_features(verb: Token, quoted: bool) -> list[str]:
    """The features of a candidate cue verb (see the module docstring); ``quoted``: whether its sentence
    holds a quotation mark (:func:`sentence_has_quote`)."""
    lemma = verb.lemma_.lower()
    deps = {c.dep_ for c in verb.children}
    comp = next((d for d in COMPLEMENTS if d in deps), "none")
    subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    subj_kind = "none" if subj is None else (subj.ent_type_ or subj.pos_)
    feats = [f"l={lemma}", f"c={comp}", f"s={subj_kind}", f"d={verb.dep_}", f"t={verb.tag_}",
             f"l={lemma}|c={comp}", f"l={lemma}|s={subj_kind}", f"l={lemma}|d={verb.dep_}",
             f"c={comp}|s={subj_kind}", f"q={quoted}", f"l={lemma}|q={quoted}"]
    if "neg" in deps:
        feats.append("neg")
    if any(g.dep_ == "mark" for c in verb.children if c.dep_ == "ccomp" for g in c.children):
        feats.append(f"l={lemma}|that")
    return feats


@dataclass(frozen=True)
class CueModel:
    """Feature weights, bias and the probability cut-off above which a verb is a cue."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, verb: Token, quoted: bool) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in cue_features(verb, quoted))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def is_cue(self, token: Token, quoted: bool) -> bool:
        return token.pos_ in CUE_POS and self.probability(token, quoted) >= self.threshold

    def with_threshold(self, threshold: float) -> CueModel:
        return CueModel(self.weights, self.bias, threshold)


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel:
    """The committed cue model."""
    path = resources.files("newsift") / "data" / "attribution" / "cues.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return CueModel(weights=data["weights"], bias=float(data["bias"]), threshold=float(data["threshold"]))
