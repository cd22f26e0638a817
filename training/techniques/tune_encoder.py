"""Fine-tuning of the techniques layer's token encoder (``newsift.techniques.encoder``) on PTC articles.

Each window's pieces are labelled 1 when they overlap a gold SI span; the loss is the weighted mean binary
cross-entropy over pieces. The SI recall credits a gold span ``t`` with ``|s ∩ t| / |t|``, so each of its
characters is worth ``1 / |t|``, while an unweighted token loss values every piece alike and so leans to the
long spans. A piece inside gold spans is therefore weighted ``n^-LENGTH_POWER``, ``n`` the length in characters
of the shortest gold span it overlaps, the weights of the positive pieces scaled to average 1 (so the balance
of positives and negatives stays as it was); a piece outside weighs 1. AdamW (weight decay 0.01), linear
warm-up over the first 6% of steps then linear decay, batches of ``BATCH`` windows of similar length,
gradients clipped to norm 1, the word-piece table frozen.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import torch

from newsift.factchecks.embed import delta_of
from newsift.techniques.encoder import (
    LAYERS,
    Encoding,
    TokenEncoder,
    Window,
    article_windows,
    batch_tensors,
    for_inference,
)
from newsift.techniques.features import ArticleTokens

BATCH = 16
EPOCHS = 2
LEARNING_RATE = 2e-4
LENGTH_POWER = 1.0
SEED = 13
# recorded in the delta and in the training script's encoder-cache key
SETTINGS = {"layers": str(LAYERS), "epochs": str(EPOCHS), "learning_rate": str(LEARNING_RATE),
            "length_power": str(LENGTH_POWER), "seed": str(SEED)}


def covered_chars(length: int, gold: Sequence[tuple[int, int]]) -> np.ndarray:
    """``covered[k]``: how many of the text's first ``k`` characters lie in a gold span, so that
    ``covered[e] - covered[s]`` counts the gold characters of ``[s, e)``."""
    inside = np.zeros(length + 1, dtype=np.int64)
    for s, e in gold:
        inside[s + 1 : e + 1] = 1
    return np.cumsum(inside)


LabelledWindow = tuple[Window, list[float], list[float]]  # the window, its pieces' labels and loss weights


def labelled_windows(art: ArticleTokens, gold: Sequence[tuple[int, int]]) -> list[LabelledWindow]:
    """The article's windows, each piece labelled 1.0 when it overlaps a gold span and weighted ``n^-LENGTH_POWER``
    (``n``: the length of the shortest gold span it overlaps; 1.0 for a piece outside them), not yet scaled."""
    shortest = np.full(len(art.text) + 1, np.inf)
    for s, e in gold:
        shortest[s:e] = np.minimum(shortest[s:e], e - s)
    out = []
    for ids, offsets in article_windows(art):
        lengths = [float(shortest[a:b].min(initial=np.inf)) for a, b in offsets]  # inf: outside every gold span
        out.append(((ids, offsets), [float(n < np.inf) for n in lengths],
                    [n ** -LENGTH_POWER if n < np.inf else 1.0 for n in lengths]))
    return out


def scaled(items: Sequence[LabelledWindow]) -> list[LabelledWindow]:
    """``items`` with the positive pieces' weights scaled to average 1."""
    positive = [w for _, labels, ws in items for y, w in zip(labels, ws, strict=True) if y]
    scale = len(positive) / sum(positive) if positive else 1.0
    return [(window, labels, [w * scale if y else w for y, w in zip(labels, ws, strict=True)])
            for window, labels, ws in items]


def _batches(items: list, rng: random.Random) -> list[list]:
    """Shuffled batches of ``BATCH`` items of similar length (sorted within blocks of 20 batches)."""
    items = items[:]
    rng.shuffle(items)
    out = []
    for k in range(0, len(items), 20 * BATCH):
        block = sorted(items[k : k + 20 * BATCH], key=lambda item: len(item[0][0]))
        out += [block[i : i + BATCH] for i in range(0, len(block), BATCH)]
    rng.shuffle(out)
    return out


def fine_tune(articles: Sequence[tuple[ArticleTokens, Sequence[tuple[int, int]]]], log=print) -> TokenEncoder:
    """A token encoder fine-tuned on ``(article, gold SI spans)`` pairs (``EPOCHS`` epochs)."""
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    model = TokenEncoder()
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    items = scaled([w for art, gold in articles for w in labelled_windows(art, gold)])
    steps = math.ceil(len(items) / BATCH) * EPOCHS
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    warm = 0.06 * steps
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / steps))
    model.train()
    step, t0 = 0, time.time()
    for epoch in range(EPOCHS):
        for batch in _batches(items, rng):
            ids, mask = batch_tensors([w for w, _, _ in batch])
            labels = torch.full(ids.shape, -1.0)
            weights = torch.zeros(ids.shape)
            for r, (_, y, ws) in enumerate(batch):
                labels[r, 1 : len(y) + 1] = torch.tensor(y)
                weights[r, 1 : len(y) + 1] = torch.tensor(ws)
            keep = labels >= 0
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model(ids, mask)[keep], labels[keep], weight=weights[keep])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
        log(f"encoder epoch {epoch + 1}/{EPOCHS}: {step} steps, last loss {loss.item():.3f}, {time.time() - t0:.0f} s")
    return model.eval()


def encodings_of(model: TokenEncoder, arts: Sequence[ArticleTokens], precision: str) -> Iterator[Encoding]:
    """Each article's :class:`~newsift.techniques.encoder.Encoding` under ``model`` as the layer runs it in
    ``precision`` (:func:`~newsift.techniques.encoder.for_inference`)."""
    model = for_inference(copy.deepcopy(model), precision)
    return (model.encode(art) for art in arts)


def save_delta(model: TokenEncoder, path: Path, meta: dict[str, str]) -> None:
    """The trained tensors as float16 safetensors."""
    from safetensors.torch import save_file

    save_file(delta_of(model, model.trained_names()), str(path), metadata=meta)
