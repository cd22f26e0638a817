"""Train the attribution cue model on PolNeAR train and tune its cut-off on PolNeAR dev.

Every verb of the parsed train articles is an example, positive when it falls inside a gold Cue span; its
features are :func:`newsift.attribution.cues.cue_features`. A logistic regression (liblinear, L2, seed 13)
gives the weights; the cut-off is the one of ``THRESHOLDS`` with the best dev content F1 of the whole layer
(``newsift eval polnear``). Writes ``src/newsift/data/attribution/cues.json``.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/attribution/train.py [--cache DIR]

``--cache DIR`` keeps the parsed articles (pickles) between runs; the parse is most of the run time.
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from newsift.analyze.attribution import AttributionAnalyzer
from newsift.attribution.corpora import read_polnear
from newsift.attribution.cues import CUE_POS, CueModel, cue_features, sentence_has_quote
from newsift.eval.polnear import evaluate, parsed

SEED = 13
C = 1.0
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "attribution" / "cues.json"


def parsed_split(split: str, cache: Path | None) -> list:
    path = cache / f"polnear-{split}.pkl" if cache else None
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    docs = []
    for n, item in enumerate(parsed(read_polnear(split)), start=1):
        docs.append(item)
        if n % 100 == 0:
            print(f"parsed {n} {split} articles", flush=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(docs))
    return docs


def examples(docs: list) -> tuple[list[dict[str, int]], list[bool]]:
    """Feature dicts and labels of every verb in the articles."""
    x, y = [], []
    for art, doc in docs:
        cues = [s for g in art.attributions for s in g.cue]
        for chunk, sent in doc.parsed_sentences():
            quoted = sentence_has_quote(sent)
            for tok in sent:
                if tok.pos_ in CUE_POS:
                    start = chunk.offset + tok.idx
                    x.append(dict.fromkeys(cue_features(tok, quoted), 1))
                    y.append(any(s <= start < e for s, e in cues))
    return x, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    x, y = examples(parsed_split("train", args.cache))
    print(f"train: {len(y)} verbs, {sum(y)} inside a gold cue", flush=True)
    vec = DictVectorizer()
    features = vec.fit_transform(x)
    features.indices, features.indptr = features.indices.astype(np.int32), features.indptr.astype(np.int32)
    clf = LogisticRegression(C=C, solver="liblinear", random_state=SEED).fit(features, y)
    weights = {f: round(float(w), 4) for f, w in zip(vec.feature_names_, clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    model = CueModel(weights, float(clf.intercept_[0]), 0.5)
    dev = parsed_split("dev", args.cache)
    best = None
    for threshold in THRESHOLDS:
        counts = evaluate(dev, AttributionAnalyzer(model.with_threshold(threshold)))
        p, r, f = counts.prf()
        print(f"threshold {threshold}: dev content P={p:.4f} R={r:.4f} F1={f:.4f}; {counts.lines()[-1]}")
        if best is None or f > best[0]:
            best = (f, threshold)
    print(f"chosen threshold {best[1]} (dev content F1 {best[0]:.4f})")
    OUT.write_text(json.dumps({"threshold": best[1], "bias": round(model.bias, 4), "C": C, "seed": SEED,
                               "train": "polnear/train", "tuned_on": "polnear/dev", "weights": weights},
                              indent=0, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
