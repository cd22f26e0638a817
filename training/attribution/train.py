"""Learn the attribution cue lexicon from PolNeAR train and tune its cut-off on PolNeAR dev.

For every verb lemma: ``p = (occurrences inside a gold Cue span + 0.5) / (occurrences + 1)`` over the train
split (lemmas seen fewer than ``MIN_COUNT`` times are dropped). The cut-off is the one of ``THRESHOLDS`` with
the best dev content F1 (``newsift eval polnear``). Writes ``src/newsift/data/attribution/cues.json``.
Deterministic (no sampling).

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/attribution/train.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from newsift.analyze.attribution import AttributionAnalyzer
from newsift.attribution.corpora import read_polnear
from newsift.attribution.extract import CueLexicon
from newsift.eval.polnear import evaluate, parsed

MIN_COUNT = 3
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "attribution" / "cues.json"


def cue_scores() -> dict[str, float]:
    seen, hits = Counter(), Counter()
    for n, (art, doc) in enumerate(parsed(read_polnear("train")), start=1):
        cues = sorted(s for g in art.attributions for s in g.cue)
        for chunk in doc.chunks:
            for tok in chunk.doc:
                if tok.pos_ not in ("VERB", "AUX"):
                    continue
                lemma, start = tok.lemma_.lower(), chunk.offset + tok.idx
                seen[lemma] += 1
                hits[lemma] += any(s <= start < e for s, e in cues)
        if n % 100 == 0:
            print(f"parsed {n} train articles", flush=True)
    return {lemma: round((hits[lemma] + 0.5) / (n + 1), 4) for lemma, n in sorted(seen.items())
            if n >= MIN_COUNT and hits[lemma] > 0}


def main() -> None:
    scores = cue_scores()
    dev = list(parsed(read_polnear("dev")))
    best = None
    for threshold in THRESHOLDS:
        counts = evaluate(dev, AttributionAnalyzer(CueLexicon(scores, threshold)))
        p, r, f = counts.prf()
        print(f"threshold {threshold}: dev content P={p:.4f} R={r:.4f} F1={f:.4f}; {counts.lines()[-1]}")
        if best is None or f > best[0]:
            best = (f, threshold)
    print(f"chosen threshold {best[1]} (dev content F1 {best[0]:.4f})")
    OUT.write_text(json.dumps({"threshold": best[1], "min_count": MIN_COUNT, "train": "polnear/train",
                               "tuned_on": "polnear/dev", "scores": scores}, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
