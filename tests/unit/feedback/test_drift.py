"""Population stability index, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clearway.risk.learning.drift import EPSILON, band, psi_categorical, psi_numeric


def by_hand(e: list[float], a: list[float]) -> float:
    e = [max(x, EPSILON) for x in e]
    a = [max(x, EPSILON) for x in a]
    return sum((y - x) * math.log(y / x) for x, y in zip(e, a, strict=True))


@pytest.mark.parametrize(("reference", "recent", "expected"), [
    (["a", "a", "b", "b"], ["a", "b"], 0.0),
    (["a", "a", "a", "b"], ["a", "b", "b", "b"], by_hand([0.75, 0.25], [0.25, 0.75])),
    (["a", None], ["a", "a", "c", None], by_hand([0.5, 0.5, 0.0], [0.5, 0.25, 0.25])),
    ([], ["a"], None),
    (["a"], [], None),
])
def test_psi_categorical(reference: list[object], recent: list[object],
                         expected: float | None) -> None:
    got = psi_categorical(reference, recent)
    assert got == (None if expected is None else pytest.approx(expected))


def test_psi_numeric_same_distribution_is_zero_and_a_shift_is_major() -> None:
    rng = np.random.default_rng(3)
    ref = rng.normal(0, 1, 20_000)
    assert psi_numeric(ref, ref) == 0.0
    assert psi_numeric(ref, rng.normal(0, 1, 20_000)) < 0.01
    shifted = psi_numeric(ref, rng.normal(1, 1, 20_000))
    assert shifted is not None and band(shifted) == "major"


@pytest.mark.parametrize(("reference", "recent", "expected"), [
    # deciles of 1..10 merge into cuts 1.9 .. 9.1: each value its own bin, plus missing
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 1, 1, 1, 10, 10, 10, 10, 10],
     by_hand([0.1] * 10 + [0.0], [0.5] + [0.0] * 8 + [0.5, 0.0])),
    ([1.0, 1.0, 1.0, 1.0], [1.0, 1.0, float("nan"), float("nan")],
     by_hand([1.0, 0.0], [0.5, 0.5])),
    ([], [1.0], None),
])
def test_psi_numeric_by_hand(reference: list[float], recent: list[float],
                             expected: float | None) -> None:
    got = psi_numeric(reference, recent)
    assert got == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("psi", "name"), [
    (None, None), (0.0, "stable"), (0.0999, "stable"), (0.1, "moderate"), (0.3, "major"),
])
def test_bands(psi: float | None, name: str | None) -> None:
    assert band(psi) == name
