"""Train the fact-check matching re-ranker (``src/newsift/data/factchecks/reranker.json``).

Data: CLEF CheckThat! 2020 Task 2 English (../shared/data/checkthat2020-claim-retrieval-en), train queries
only; dev is printed for model choice. The re-ranker is linear, s(x) = w . x, fitted with a listwise loss:
for each query, -log softmax(s)[relevant] over its candidates (queries whose relevant claim is not among the
candidates are left out), plus an L2 penalty, minimised by full-batch gradient descent with Adam. The train
queries' features come from their out-of-fold query-encoder vectors, so run ``train_query_encoder.py --write``
first.

    python training/factchecks/train.py --write   # defaults: --l2 0 --epochs 3000 --lr 0.5
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from train_query_encoder import oof_path, settings_parser  # scripts beside this one

from newsift.eval.factchecks import scores
from newsift.factchecks.embed import encode
from newsift.factchecks.match import FEATURE_NAMES, Matcher, Reranker, clean_query
from newsift.factchecks.records import read_checkthat_vclaims, read_qrels, read_queries

OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "factchecks" / "reranker.json"
SEED = 0


def train_query_vectors(texts: list[str]) -> np.ndarray:
    """The out-of-fold query-encoder vectors of the train queries saved by ``train_query_encoder.py``."""
    path = oof_path(texts)
    if not path.exists():
        raise SystemExit(f"no out-of-fold train vectors at {path}: run train_query_encoder.py --write first")
    return np.load(path)


def query_groups(matcher: Matcher, root: Path, split: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, is_relevant) of the candidates of every query of ``split`` with a relevant candidate; train
    queries use their out-of-fold vectors."""
    queries = read_queries(root / split / "tweets.queries.tsv")
    qrels = read_qrels(root / split / "tweet-vclaim-pairs.qrels")
    texts = [clean_query(q.text) for q in queries]
    vectors = train_query_vectors(texts) if split == "train" else encode(texts, query=True)
    groups = []
    for q, text, vec in zip(queries, texts, vectors, strict=True):
        pool, x, _ = matcher.candidates(text, vec)
        y = np.array([matcher.claims[i].id in qrels.get(q.id, ()) for i in pool], dtype=np.float32)
        if y.any():
            groups.append((x, y / y.sum()))
    return groups


def fit(groups: list[tuple[np.ndarray, np.ndarray]], l2: float, epochs: int, lr: float = 0.05) -> np.ndarray:
    """Weights minimising the mean listwise cross-entropy + l2 * |w|^2 (Adam, full batch)."""
    rng = np.random.default_rng(SEED)
    w = rng.normal(0, 0.01, len(FEATURE_NAMES)).astype(np.float64)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, epochs + 1):
        grad = 2 * l2 * w
        for x, y in groups:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x.T @ (p - y) / len(groups)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def evaluate(matcher: Matcher, root: Path, split: str) -> dict[str, float]:
    ranking = matcher.rank(read_queries(root / split / "tweets.queries.tsv"), top=20)
    run = {q: [v for v, _ in hits] for q, hits in ranking.items()}
    return scores(read_qrels(root / split / "tweet-vclaim-pairs.qrels"), run)


def main() -> None:
    parser = settings_parser(__doc__, l2=0.0, epochs=3000, lr=0.5)
    parser.add_argument("--write", action="store_true", help=f"write the weights to {OUT}")
    args = parser.parse_args()

    matcher = Matcher(read_checkthat_vclaims(args.data / "verified_claims.docs.tsv"), progress=True)
    for split in ("train", "dev"):
        print(
            f"cosine only, {split}:", {k: round(x, 4) for k, x in evaluate(matcher, args.data, split).items()}
        )
    groups = query_groups(matcher, args.data, "train")
    print(f"train queries with a relevant candidate: {len(groups)}")
    weights = fit(groups, args.l2, args.epochs, args.lr)
    print("weights:", dict(zip(FEATURE_NAMES, np.round(weights, 4).tolist(), strict=True)))
    matcher.reranker = Reranker(weights.astype(np.float32))
    for split in ("train", "dev"):
        print(
            f"re-ranked, {split}:", {k: round(x, 4) for k, x in evaluate(matcher, args.data, split).items()}
        )
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(
            json.dumps(
                {
                    "features": list(FEATURE_NAMES),
                    "weights": weights.round(6).tolist(),
                    "trained_on": "CheckThat! 2020 Task 2 English train",
                    "l2": args.l2,
                    "epochs": args.epochs,
                    "seed": SEED,
                },
                indent=1,
            )
            + "\n"
        )
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
