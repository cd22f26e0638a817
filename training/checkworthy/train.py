"""Train the check-worthiness model: logistic regression over hashed n-gram features.

Data: CheckThat! 2024 English, train split for fitting; dev split only to pick C and the threshold.
Writes ``src/newsift/data/claims/{weights.npz,meta.json}``. Deterministic (liblinear, fixed seed).

    nice -n 10 .venv/bin/python training/checkworthy/train.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from newsift.attribution.checkworthy import CheckworthyModel, save_model
from newsift.attribution.corpora import checkthat_split, read_checkthat
from newsift.attribution.features import DIMS, hashed
from newsift.eval.checkworthy import best_threshold, prf

SEED = 13
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0)
OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "claims"


def matrix(texts: list[str]) -> csr_matrix:
    """The hashed, L2-normalised feature matrix of ``texts``."""
    indptr, indices, data = [0], [], []
    for t in texts:
        idx, value = hashed(t)
        indices.extend(idx)
        data.extend([value] * len(idx))
        indptr.append(len(indices))
    return csr_matrix((np.array(data, np.float32), np.array(indices), np.array(indptr)), shape=(len(texts), DIMS))


def main() -> None:
    train, dev = read_checkthat(checkthat_split("train")), read_checkthat(checkthat_split("dev"))
    x_train, y_train = matrix([r.text for r in train]), np.array([r.label == "Yes" for r in train])
    x_dev, y_dev = matrix([r.text for r in dev]), [r.label == "Yes" for r in dev]
    print(f"train {len(train)} sentences ({y_train.sum()} Yes), dev {len(dev)} ({sum(y_dev)} Yes)")
    best = None
    for c in C_GRID:
        clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", random_state=SEED)
        clf.fit(x_train, y_train)
        scores = clf.predict_proba(x_dev)[:, 1].tolist()
        threshold, f1 = best_threshold(scores, y_dev)
        print(f"C={c}: dev F1(Yes)={f1:.4f} at threshold {threshold:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, c, threshold, clf)
    f1, c, threshold, clf = best
    model = CheckworthyModel(weights=clf.coef_[0].astype(np.float32), bias=float(clf.intercept_[0]),
                             threshold=threshold)
    p, r, f = prf([model.is_checkworthy(row.text) for row in dev], y_dev)
    print(f"chosen C={c}, threshold={threshold:.3f}: dev P={p:.4f} R={r:.4f} F1={f:.4f} (float16 weights)")
    save_model(model, str(OUT), {"C": c, "seed": SEED, "train": "CT24_checkworthy_english_train.tsv",
                                 "tuned_on": "CT24_checkworthy_english_dev.tsv", "dev_f1_yes": round(f, 4)})


if __name__ == "__main__":
    main()
