"""Fine-tune the cross-encoder of fact-check matching (``src/newsift/data/factchecks/cross-encoder.safetensors``).

Data: CLEF CheckThat! 2020 Task 2 English (../shared/data/checkthat2020-claim-retrieval-en), train queries
only; dev is printed for choosing settings. Hard negatives come from the current pipeline: each train query is
ranked by the packaged query encoder, BM25 and linear re-ranker, and its first ``--pool`` claims that are not
relevant are its negatives. Each epoch every train query makes one group, one of its relevant claims (qrels)
and ``--negatives`` negatives drawn from its pool, and the loss is -log softmax(group's scores)[relevant].
Trained: the transformer layers, the segment embeddings and the head (AdamW, 10% linear warm-up then linear
decay, bfloat16 autocast, one torch thread); word and position embeddings stay as in the base model, so the
packaged delta holds only the trained tensors (float16).

After each epoch it prints dev MAP@5 of the matcher with the cross-encoder (top 20, weight 1, bfloat16); at
the end, dev MAP@k for a grid of (top, weight) with the matcher as it runs (float32).

    python training/factchecks/train_cross_encoder.py --write
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from train_query_encoder import settings_parser, warmed_up_adamw  # a script beside this one

from newsift.eval.factchecks import scores
from newsift.factchecks.crossenc import CrossEncoder
from newsift.factchecks.embed import MODEL_NAME, delta_of, load_base_encoder
from newsift.factchecks.match import Matcher, Reranker, Rescorer, clean_query
from newsift.factchecks.records import Query, read_checkthat_vclaims, read_qrels, read_queries

OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "factchecks" / "cross-encoder.safetensors"
SEED = 0
PROBE = (
    "Video shows a shark swimming on a flooded highway in Houston after the hurricane.",
    "A shark was filmed swimming on a Houston freeway flooded by Hurricane Harvey.",
    "The Eiffel Tower will be demolished in 2027.",
)
GRID_TOPS = (30, 20, 10)
GRID_WEIGHTS = (0.5, 1.0, 2.0, 4.0, 100.0)


class Memo:
    """A pair scorer for :class:`Rescorer` that scores each (query, text) pair once."""

    def __init__(self, model: CrossEncoder) -> None:
        self.model, self.seen = model, {}

    def __call__(self, query: str, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if (query, t) not in self.seen]
        self.seen.update(zip(((query, t) for t in new), self.model.scores(query, new).tolist(), strict=True))
        return np.array([self.seen[query, t] for t in texts], dtype=np.float32)


def trained_names(model: CrossEncoder) -> list[str]:
    """The parameters trained and packaged: transformer layers, segment embeddings, head."""
    keep = (".encoder.layer.", "token_type_embeddings", "head.")
    return [name for name, _ in model.named_parameters() if any(k in name for k in keep)]


def hard_negatives(matcher: Matcher, queries: list[Query], qrels: dict[str, set[str]], pool: int) -> list[list[int]]:
    """Per query, the claim indices of its first ``pool`` non-relevant claims in the pipeline's order."""
    index = {c.id: i for i, c in enumerate(matcher.claims)}
    ranking = matcher.rank(queries, top=pool + max(len(r) for r in qrels.values()))
    return [[index[v] for v, _ in ranking[q.id] if v not in qrels[q.id]][:pool] for q in queries]


def dev_scores(matcher: Matcher, queries: list[Query], qrels: dict[str, set[str]]) -> dict[str, float]:
    ranking = matcher.rank(queries, top=20)
    return {k: round(v, 4) for k, v in scores(qrels, {q: [v for v, _ in h] for q, h in ranking.items()}).items()}


def main() -> None:
    parser = settings_parser(__doc__, lr=3e-5, head_lr=1e-3, epochs=4, negatives=7, pool=30)
    parser.add_argument("--write", action="store_true", help=f"write the delta to {OUT}")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)

    root = args.data
    matcher = Matcher(read_checkthat_vclaims(root / "verified_claims.docs.tsv"), Reranker.packaged(), progress=True)
    texts = [c.search_text for c in matcher.claims]
    index = {c.id: i for i, c in enumerate(matcher.claims)}
    split = {
        s: (read_queries(root / s / "tweets.queries.tsv"), read_qrels(root / s / "tweet-vclaim-pairs.qrels"))
        for s in ("train", "dev")
    }
    print("dev, without cross-encoder:", dev_scores(matcher, *split["dev"]), flush=True)
    train_queries, train_qrels = split["train"]
    negatives = hard_negatives(matcher, train_queries, train_qrels, args.pool)
    positives = [sorted(index[v] for v in train_qrels[q.id]) for q in train_queries]
    query_texts = [clean_query(q.text) for q in train_queries]

    model = CrossEncoder(load_base_encoder())
    names = set(trained_names(model))
    for name, p in model.named_parameters():
        p.requires_grad = name in names
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    steps = args.epochs * len(train_queries)
    opt, sched = warmed_up_adamw([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}], steps)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        start, total = time.time(), 0.0
        for j in rng.permutation(len(train_queries)):
            group = [int(rng.choice(positives[j]))]
            group += rng.choice(negatives[j], size=min(args.negatives, len(negatives[j])), replace=False).tolist()
            with torch.autocast("cpu", dtype=torch.bfloat16):
                s = model([(query_texts[j], texts[i]) for i in group]).float()
            loss = torch.logsumexp(s, 0) - s[0]
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
        seconds = time.time() - start
        model.eval()
        matcher.rescorer = Rescorer(Memo(model), top=20, weight=1.0)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            monitor = dev_scores(matcher, *split["dev"])["MAP@5"]
        print(
            f"  epoch {epoch}: loss {total / len(train_queries):.4f}, {seconds:.0f} s "
            f"({len(train_queries) * (1 + args.negatives) / seconds:.1f} pairs/s), dev MAP@5 (bf16) {monitor}",
            flush=True,
        )
    print(f"trained in {time.time() - started:.0f} s (with the dev checks)")

    memo = Memo(model)
    for top in GRID_TOPS:
        for weight in GRID_WEIGHTS:
            matcher.rescorer = Rescorer(memo, top=top, weight=weight)
            print(f"dev, top {top}, weight {weight}:", dev_scores(matcher, *split["dev"]), flush=True)
    if args.write:
        from safetensors.torch import save_file

        probe = model.scores(PROBE[0], PROBE[1:])
        meta = {k: str(v) for k, v in vars(args).items() if k not in ("data", "write")}
        meta |= {"base": MODEL_NAME, "seed": str(SEED), "probe": json.dumps(PROBE)}
        meta["probe_scores"] = json.dumps(probe.tolist())
        save_file(delta_of(model, sorted(names)), str(OUT), metadata=meta)
        print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
