"""Hedges: words and phrases that weaken the certainty of a statement ("reportedly", "if confirmed").

Found with one regular expression over the text (linear time). A hedge modifies the attributions and claims
of its own sentence; a *verification* hedge ("could not be independently verified", "if confirmed") in a
sentence with no attribution of its own also modifies the attributions of the sentence before
("Petrenko said … . Her account could not be independently verified.").
"""

from __future__ import annotations

import re

_HEDGE_PHRASES = [
    r"could not be (?:independently )?(?:verified|confirmed)",
    r"cannot be (?:independently )?(?:verified|confirmed)",
    r"(?:has|have|had) not been (?:independently )?(?:verified|confirmed)",
    r"if (?:true|confirmed|verified|accurate)",
    r"unverified", r"unconfirmed", r"not independently verified",
    r"reportedly", r"allegedly", r"purportedly", r"supposedly", r"apparently", r"ostensibly",
    r"(?:appears?|appeared|seems?|seemed) to", r"it is (?:believed|thought|understood|alleged)",
    r"suggest(?:s|ed|ing)?", r"alleged", r"claimed to", r"is said to", r"are said to",
    r"may have", r"might have", r"possibly", r"probably", r"likely", r"unclear whether",
]
HEDGE = re.compile(r"\b(?:" + "|".join(_HEDGE_PHRASES) + r")\b", re.I)
VERIFICATION = re.compile(r"verified|confirmed|unverified|unconfirmed", re.I)


def hedge_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of every hedge in ``text``."""
    return [m.span() for m in HEDGE.finditer(text)]


def is_verification_hedge(hedge_text: str) -> bool:
    """A hedge about whether something was checked (it can reach back to the sentence before)."""
    return bool(VERIFICATION.search(hedge_text))
