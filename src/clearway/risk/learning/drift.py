"""Population stability index (PSI): how far a feature's distribution has moved between a
reference window (the promoted model's training window) and a recent one.

PSI = sum over bins of (a - e) * ln(a / e), with e and a the shares of the reference and
recent values in each bin. Numeric features are cut at the reference's deciles (ties
merged); categorical ones take one bin per category; a missing value is a bin of its own
either way. Empty bins get a share of EPSILON so the logarithm stays finite. Usual reading:
below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 major shift (retrain).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

EPSILON = 1e-4
BINS = 10
BANDS = ((0.1, "stable"), (0.25, "moderate"), (float("inf"), "major"))


def _psi(expected: np.ndarray, actual: np.ndarray) -> float:
    e = np.maximum(expected / expected.sum(), EPSILON)
    a = np.maximum(actual / actual.sum(), EPSILON)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_numeric(reference: Sequence[float] | np.ndarray, recent: Sequence[float] | np.ndarray,
                bins: int = BINS) -> float | None:
    """PSI of a numeric feature (NaN = missing); None when either window is empty."""
    ref, new = np.asarray(reference, dtype=float), np.asarray(recent, dtype=float)
    if len(ref) == 0 or len(new) == 0:
        return None
    present = ref[~np.isnan(ref)]
    inner = np.unique(np.quantile(present, np.linspace(0, 1, bins + 1)[1:-1])) \
        if len(present) else np.empty(0)

    def counts(values: np.ndarray) -> np.ndarray:
        missing = np.isnan(values)
        slots = np.searchsorted(inner, values[~missing], side="right")
        return np.r_[np.bincount(slots, minlength=len(inner) + 1), missing.sum()].astype(float)

    return _psi(counts(ref), counts(new))


def psi_categorical(reference: Sequence[object], recent: Sequence[object]) -> float | None:
    """PSI of a categorical feature (None = missing, a category of its own)."""
    if len(reference) == 0 or len(recent) == 0:
        return None
    ref, new = Counter(reference), Counter(recent)
    keys = sorted(set(ref) | set(new), key=repr)
    return _psi(np.array([ref[k] for k in keys], dtype=float),
                np.array([new[k] for k in keys], dtype=float))


def band(psi: float | None) -> str | None:
    if psi is None:
        return None
    return next(name for limit, name in BANDS if psi < limit)
