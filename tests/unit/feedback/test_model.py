"""Pure statistics of the feedback room, against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from clearway.feedback.model import ComplianceRecord, estimate, mean_interval, wilson


# Wilson 95 % intervals (Newcombe 1998, table I; Agresti & Coull 1998)
@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (5, 10, 0.2366, 0.7634),
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (1, 1, 0.2065, 1.0),
])
def test_wilson_interval_matches_published_values(k: int, n: int, low: float,
                                                  high: float) -> None:
    ci = wilson(k, n)
    assert ci is not None
    assert (round(ci.low, 4), round(ci.high, 4)) == (low, high)


def test_wilson_of_no_trials_is_none_and_bad_counts_fail() -> None:
    assert wilson(0, 0) is None
    for k, n in ((3, 2), (-1, 4), (0, -1)):
        with pytest.raises(ValueError):
            wilson(k, n)


Z = 1.959963984540054


# (values, mean, standard error s/sqrt(n) by hand; None: no interval)
@pytest.mark.parametrize(("values", "mean", "se"), [
    ([], None, None),
    ([12.0], 12.0, None),
    ([0.0, 10.0], 5.0, 5.0),                    # s = sqrt(50), se = sqrt(50/2)
    ([4.0, 4.0, 4.0], 4.0, 0.0),
    ([1.0, 2.0, 3.0, 4.0], 2.5, math.sqrt(5 / 12)),  # s² = 5/3
])
def test_mean_interval_is_the_normal_approximation_floored_at_zero(
        values: list[float], mean: float | None, se: float | None) -> None:
    got_mean, got_ci = mean_interval(values)
    assert got_mean == mean
    if se is None:
        assert got_ci is None
    else:
        assert got_ci is not None and mean is not None
        assert (got_ci.low, got_ci.high) == pytest.approx((max(0.0, mean - Z * se),
                                                           mean + Z * se))


@pytest.mark.parametrize(("irregular", "revenues", "declarations", "rate", "gap"), [
    (0, [], 500, None, None),                     # no random control: nothing to say
    (0, [0.0, 0.0, 0.0], 300, 0.0, 0.0),          # all regular
    (4, [10.0, 20.0, 30.0, 40.0], 100, 1.0, 2500.0),  # all irregular
    (1, [0.0, 0.0, 0.0, 90.0], 1000, 0.25, 22500.0),
])
def test_estimate_of_a_group(irregular: int, revenues: list[float], declarations: int,
                             rate: float | None, gap: float | None) -> None:
    got = estimate(irregular, revenues, declarations)
    assert (got.controls, got.rate, got.revenue_gap) == (len(revenues), rate, gap)
    assert got.rate_ci == wilson(irregular, len(revenues))
    if len(revenues) >= 2:
        assert got.revenue_gap_ci is not None and got.mean_revenue_ci is not None
        assert got.revenue_gap_ci.low == pytest.approx(got.mean_revenue_ci.low * declarations)
        assert got.revenue_gap_ci.low <= (gap or 0) <= got.revenue_gap_ci.high
    else:
        assert got.revenue_gap_ci is None
    assert set(got.as_dict()) >= {"non_compliance_rate", "non_compliance_ci", "revenue_gap_ci"}


@pytest.mark.parametrize(("controls", "irregular", "rate"), [
    (0, 0, None), (4, 0, 1.0), (4, 4, 0.0), (10, 3, 0.7),
])
def test_trader_compliance_rate(controls: int, irregular: int, rate: float | None) -> None:
    record = ComplianceRecord(declarations=20, controls=controls, irregular=irregular,
                              revenue=0.0)
    assert record.compliance_rate == rate
    assert record.compliance_ci == wilson(controls - irregular, controls)
