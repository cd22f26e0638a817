"""The paraphrase search's candidate stage at scale: signature and ANN times, and how many candidate pairs
are same-story paraphrases or different stories at several signature-cosine cutoffs.

    python benchmarks/paraphrase_candidates.py [--n 100000] [--paraphrased 0.2]

The corpus is the one ``benchmarks/corpus.py`` makes (same seed and options; see its docstring), written
to a temporary JSONL file; nothing is ingested or embedded.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from corpus import PTC, make_corpus, sentence_pool  # noqa: E402

CUTOFFS = (0.3, 0.35, 0.4, 0.45)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--paraphrased", type=float, default=0.2)
    parser.add_argument("--articles", type=Path, default=PTC)
    args = parser.parse_args()

    import numpy as np

    from newsift.corpus.ann import similar_pairs
    from newsift.corpus.paraphrase import NEIGHBOURS, signature

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        truth = make_corpus(args.n, sentence_pool(args.articles), path, args.paraphrased)
        with path.open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh]
    t0 = time.perf_counter()
    signatures = np.stack([signature(r["text"]) for r in records])
    t1 = time.perf_counter()
    pairs = list(similar_pairs(signatures, NEIGHBOURS, min(CUTOFFS), threads=1))
    t2 = time.perf_counter()
    print(
        f"{len(records):,} articles: signatures {t1 - t0:.0f} s ({len(records) / (t1 - t0):.0f} per s), "
        f"ANN index and {NEIGHBOURS}-neighbour search {t2 - t1:.0f} s on one thread"
    )
    urls = [r["url"] for r in records]
    for cutoff in CUTOFFS:
        same = different = 0
        for i, j, cosine in pairs:
            if cosine < cutoff:
                continue
            a, b = truth[urls[i]], truth[urls[j]]
            if a.story != b.story:
                different += 1
            elif "paraphrase" in (a.kind, b.kind):
                same += 1
        print(f"cutoff {cutoff:.2f}: {same:,} same-story pairs with a paraphrase, {different:,} different-story pairs")


if __name__ == "__main__":
    main()
