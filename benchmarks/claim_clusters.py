"""Claim clusters on real, topic-dense news text: how precise are the links at each cosine, and do clusters
stay small?

    python benchmarks/claim_clusters.py [--n 8000]                     # cluster sizes per threshold
    python benchmarks/claim_clusters.py --draw 10 > links.tsv          # a sample of links to label
    python benchmarks/claim_clusters.py --labels src/newsift/data/eval/claims/ptc-links.tsv

The claims are --n sentences (8-60 words, shuffled with seed 0) of the PTC training articles
(../shared/data/ptc-semeval2020): articles on a few dozen news topics, so many sentences share a topic and
few state the same claim, unlike the hand-written rewrite set of ``newsift eval claim-clusters``, whose
stories are about unrelated events. Each keeps its article id, so two sentences of one article are never
linked, as in the store. For each threshold the script prints the clusters, the claims in them and the
largest cluster sizes, from the real decision (:mod:`newsift.corpus.claim_clusters`).

``--draw K`` samples K links (pairs the decision keeps, copies of one text left out) from each cosine band
of width 0.05 between 0.60 and 1.00 (seed 1) and prints them with both texts, for a person to label.
``--labels FILE`` reads such a labelled sample (article ids and character offsets only, since the corpus's
text may not be copied: ``article_a start_a end_a article_b start_b end_b same``), checks that every pair is
still a link, and prints the share labelled the same claim per band and, weighting each band by its number
of links, the estimated precision of all links at or above each band's lower edge.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from corpus import PTC, pool_sentences  # noqa: E402

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
BANDS = tuple(round(0.6 + 0.05 * k, 2) for k in range(8))  # lower edges: 0.60, 0.65, ..., 0.95


def ptc_claims(folder: Path, n: int) -> list:
    """--n shuffled PTC sentences as claims, keyed ``article_id`` = PTC article id, ``claim_id`` = start:end."""
    from newsift.corpus.claim_clusters import ClaimMember

    members = [
        ClaimMember(stem, f"{s}:{e}", text, None, None, "unattributed", None)
        for stem, s, e, text in pool_sentences(folder)
    ]
    random.Random(0).shuffle(members)
    return members[:n]


def band_of(cosine: float) -> float | None:
    edges = [b for b in BANDS if cosine >= b]
    return edges[-1] if edges else None


def draw(members: list, links: list, k: int) -> None:
    rng = random.Random(1)
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["article_a", "start_a", "end_a", "article_b", "start_b", "end_b", "same", "cosine", "texts"])
    for edge in BANDS:
        band = [x for x in links if band_of(x[2]) == edge and members[x[0]].text != members[x[1]].text]
        for a, b, cosine in rng.sample(band, min(k, len(band))):
            ma, mb = members[a], members[b]
            texts = f"{' '.join(ma.text.split())} ||| {' '.join(mb.text.split())}"
            writer.writerow(
                [
                    ma.article_id,
                    *ma.claim_id.split(":"),
                    mb.article_id,
                    *mb.claim_id.split(":"),
                    "",
                    f"{cosine:.3f}",
                    texts,
                ]
            )


def score_labels(members: list, links: list, path: Path) -> None:
    cosine_of = {}
    for a, b, cosine in links:
        key = frozenset(((members[a].article_id, members[a].claim_id), (members[b].article_id, members[b].claim_id)))
        cosine_of[key] = cosine
    counts = {edge: 0 for edge in BANDS}
    for _, _, cosine in links:
        if band_of(cosine) is not None:
            counts[band_of(cosine)] += 1
    labelled: dict[float, list[int]] = {edge: [] for edge in BANDS}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            key = frozenset((row[f"article_{x}"], f"{row[f'start_{x}']}:{row[f'end_{x}']}") for x in "ab")
            if key not in cosine_of:
                raise SystemExit(f"{path} line {line}: not a link of this corpus (other --n or threshold?)")
            labelled[band_of(cosine_of[key])].append(int(row["same"]))
    print("band        links  labelled  same  share   est. precision of all links >= band")
    for edge in BANDS:
        above = [e for e in BANDS if e >= edge and labelled[e]]
        weight = sum(counts[e] for e in above)
        estimate = sum(counts[e] * sum(labelled[e]) / len(labelled[e]) for e in above) / weight if weight else 0
        same, n = sum(labelled[edge]), len(labelled[edge])
        share = f"{same / n:.2f}" if n else "  - "
        print(f"{edge:.2f}-{edge + 0.05:.2f}  {counts[edge]:>6,}  {n:>8}  {same:>4}  {share}   {estimate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8000)
    parser.add_argument("--articles", type=Path, default=PTC)
    parser.add_argument("--draw", type=int, default=0, help="print this many links per band to label")
    parser.add_argument("--labels", type=Path, help="score a labelled sample of links")
    args = parser.parse_args()

    from newsift.corpus.claim_clusters import DEFAULT_THRESHOLD, claim_links, join_links
    from newsift.factchecks.embed import encode

    members = ptc_claims(args.articles, args.n)
    t0 = time.perf_counter()
    vectors = encode([m.text for m in members]).astype("float16").astype("float32")  # as the store keeps them
    print(f"{len(members):,} claims embedded in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    every = claim_links(members, vectors, min(THRESHOLDS))
    if args.draw:
        return draw(members, every, args.draw)
    if args.labels:
        return score_labels(members, every, args.labels)
    for threshold in THRESHOLDS:
        groups = join_links(members, [link for link in every if link[2] >= threshold])
        sizes = sorted(map(len, groups), reverse=True)
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        print(
            f"threshold {threshold:.2f}{mark}: {len(groups):,} clusters, {sum(sizes):,} claims in them, "
            f"largest {', '.join(map(str, sizes[:6]))}"
        )


if __name__ == "__main__":
    main()
