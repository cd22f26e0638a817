"""Fine-tune the query encoder of fact-check matching (``src/newsift/data/factchecks/query-encoder.safetensors``).

Data: CLEF CheckThat! 2020 Task 2 English (../shared/data/checkthat2020-claim-retrieval-en), train queries
only; dev is printed for model choice. The fact-checked claims keep their base all-MiniLM-L6-v2 vectors
(claim c_j and title t_j, fixed), and only the query side is trained: for a query q with encoder output e(q),
the score of claim j is s_j = scale * max(e(q) . c_j, e(q) . t_j), and the loss is the cross-entropy
-log softmax(s)[relevant] over all 10,375 claims (every other claim is a negative). The top ``--layers``
transformer layers are trained (AdamW, linear warm-up over the first 10% of steps then linear decay); the
word embeddings stay as in the base model, so the packaged delta holds only the trained layers (float16).

The linear re-ranker (``train.py``) must not learn from query vectors the encoder was trained on, so the train
queries are also split into ``--folds`` folds, an encoder is trained on all but one fold and encodes that
fold, and these out-of-fold vectors are saved (in the embedding cache) for ``train.py``.

    python training/factchecks/train_query_encoder.py --write   # then: python training/factchecks/train.py --write
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsift.eval.factchecks import checkthat_dir, scores
from newsift.factchecks.embed import MODEL_NAME, delta_of, encode, load_base_encoder
from newsift.factchecks.match import clean_query
from newsift.factchecks.records import read_checkthat_vclaims, read_qrels, read_queries

OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "factchecks" / "query-encoder.safetensors"
SEED = 0
PROBE = "Video shows a shark swimming on a flooded highway in Houston after the hurricane."


def oof_path(texts: Sequence[str]) -> Path:
    """Where the out-of-fold vectors of the train queries ``texts`` are kept (beside the embedding cache)."""
    from newsift.factchecks.embed import cache_dir, encoder_name, texts_key

    return cache_dir() / f"oof-{texts_key(texts, encoder_name(query=True))}.npy"


def split_queries(root: Path, split: str, claim_index: dict[str, int]) -> tuple[list[str], list[int], dict]:
    """The cleaned query texts of ``split``, the index of one relevant claim of each, and the qrels."""
    queries = read_queries(root / split / "tweets.queries.tsv")
    qrels = read_qrels(root / split / "tweet-vclaim-pairs.qrels")
    positives = [claim_index[sorted(qrels[q.id])[0]] for q in queries]
    return [clean_query(q.text) for q in queries], positives, {"ids": [q.id for q in queries], "qrels": qrels}


def trained_names(model, layers: int) -> list[str]:
    """The parameters of the top ``layers`` transformer layers."""
    n_layers = model[0].auto_model.config.num_hidden_layers
    keep = tuple(f".encoder.layer.{i}." for i in range(n_layers - layers, n_layers))
    return [name for name, _ in model.named_parameters() if any(k in name for k in keep)]


def settings_parser(doc: str, **defaults: float) -> argparse.ArgumentParser:
    """A parser of a training script (described by the first line of ``doc``) with ``--data`` and one option
    per keyword (``head_lr=1e-3`` gives ``--head-lr``, typed like its default)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--data", type=Path, default=checkthat_dir())
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser


def warmed_up_adamw(groups: list[dict], steps: int):
    """AdamW (weight decay 0.01) over the parameter ``groups`` and its schedule: each group's learning rate
    rises linearly over the first 10% of ``steps``, then falls linearly to 0."""
    import torch

    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, (steps - s) / (steps - warm)))
    return opt, sched


def fine_tune(texts: Sequence[str], positives: Sequence[int], claim_vecs, title_vecs, args: argparse.Namespace):
    """A base encoder whose top layers are trained on (texts, positives) as the module docstring says."""
    import torch

    torch.manual_seed(SEED)
    model = load_base_encoder()
    names = set(trained_names(model, args.layers))
    for name, p in model.named_parameters():
        p.requires_grad = name in names
    params = [p for p in model.parameters() if p.requires_grad]
    opt, sched = warmed_up_adamw([{"params": params, "lr": args.lr}], args.epochs * -(-len(texts) // args.batch))
    rng = np.random.default_rng(SEED)
    target_all = torch.tensor(positives)
    model.train()
    for epoch in range(args.epochs):
        start, total = time.time(), 0.0
        order = rng.permutation(len(texts))
        for i in range(0, len(order), args.batch):
            batch = order[i : i + args.batch]
            q = model(model.preprocess([texts[j] for j in batch]))["sentence_embedding"]
            logits = args.scale * torch.maximum(q @ claim_vecs.T, q @ title_vecs.T)
            loss = torch.nn.functional.cross_entropy(logits, target_all[batch])
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item() * len(batch)
        print(f"  epoch {epoch}: loss {total / len(order):.4f} ({time.time() - start:.0f} s)", flush=True)
    return model.eval()


def vectors(model, texts: Sequence[str]) -> np.ndarray:
    return model.encode(list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True)


def cosine_scores(q: np.ndarray, claim_vecs, title_vecs, claim_ids: list[str], split: dict) -> dict[str, float]:
    """MAP@k of ranking every claim by max(cosine with claim, cosine with title)."""
    best = np.maximum(q @ claim_vecs.numpy().T, q @ title_vecs.numpy().T)
    top = np.argsort(-best, axis=1)[:, :20]
    run = {qid: [claim_ids[j] for j in row] for qid, row in zip(split["ids"], top, strict=True)}
    return {k: round(v, 4) for k, v in scores(split["qrels"], run).items()}


def main() -> None:
    import torch

    parser = settings_parser(__doc__, lr=1e-4, epochs=3, layers=6, scale=20.0, batch=16, folds=2)
    parser.add_argument("--write", action="store_true", help=f"write the delta to {OUT} and the out-of-fold vectors")
    args = parser.parse_args()
    torch.set_num_threads(1)

    claims = read_checkthat_vclaims(args.data / "verified_claims.docs.tsv")
    claim_ids = [c.id for c in claims]
    claim_vecs = torch.from_numpy(encode([c.claim for c in claims], progress=True))
    title_vecs = torch.from_numpy(encode([c.title or c.claim for c in claims], progress=True))
    index = {c: i for i, c in enumerate(claim_ids)}
    train_texts, train_pos, train = split_queries(args.data, "train", index)
    dev_texts, _, dev = split_queries(args.data, "dev", index)

    fold_of = np.random.default_rng(SEED).permutation(len(train_texts)) % args.folds
    oof = np.zeros((len(train_texts), claim_vecs.shape[1]), dtype=np.float32)
    for fold in range(args.folds):
        fit_rows, held = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        print(f"fold {fold}: training on {len(fit_rows)} train queries", flush=True)
        model = fine_tune(
            [train_texts[i] for i in fit_rows], [train_pos[i] for i in fit_rows], claim_vecs, title_vecs, args
        )
        oof[held] = vectors(model, [train_texts[i] for i in held])
    print("train, out-of-fold, cosine only:", cosine_scores(oof, claim_vecs, title_vecs, claim_ids, train))

    print(f"all {len(train_texts)} train queries:", flush=True)
    model = fine_tune(train_texts, train_pos, claim_vecs, title_vecs, args)
    print("dev, cosine only:", cosine_scores(vectors(model, dev_texts), claim_vecs, title_vecs, claim_ids, dev))
    delta = delta_of(model, trained_names(model, args.layers))
    if args.write:
        from safetensors.torch import save_file

        meta = {k: str(v) for k, v in vars(args).items() if k != "data"}
        probe = vectors(model, [PROBE])[0]
        meta |= {"base": MODEL_NAME, "seed": str(SEED), "probe": PROBE, "probe_vector": json.dumps(probe.tolist())}
        save_file(delta, str(OUT), metadata=meta)
        path = oof_path(train_texts)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, oof)
        print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB) and {path}")


if __name__ == "__main__":
    main()
