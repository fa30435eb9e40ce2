"""Pure statistics of the feedback room: rates with Wilson intervals, the non-compliance
estimate and revenue gap from random selections, trader compliance.

Formulas (z = 1.96 for 95 %):
- Wilson interval of k successes in n trials, p = k/n:
  centre = (p + z²/2n) / (1 + z²/n),
  half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n); it stays inside [0, 1] and is defined
  for k = 0 and k = n, where the plain normal interval collapses to a point.
- Mean additional revenue per randomly controlled declaration, m, with sample standard
  deviation s over n controls: 95 % CI m ± z·s/sqrt(n) (normal approximation of the mean;
  needs n >= 2), floored at 0 since no control assesses negative revenue.
- Revenue gap over N declarations of the period: N·m, CI N·(m ± z·s/sqrt(n)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def scaled(self, factor: float) -> Interval:
        return Interval(self.low * factor, self.high * factor)

    def as_dict(self) -> dict[str, float]:
        return {"low": round(self.low, 6), "high": round(self.high, 6)}


def wilson(successes: int, trials: int, z: float = Z95) -> Interval | None:
    """Wilson score interval of a proportion (None for no trials)."""
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes ({successes}) <= trials ({trials})")
    if trials == 0:
        return None
    p, n = successes / trials, trials
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def rate(successes: int, trials: int) -> float | None:
    return None if trials == 0 else successes / trials


def mean_interval(values: Sequence[float], z: float = Z95) -> tuple[float | None,
                                                                      Interval | None]:
    """The mean and its normal-approximation interval (floored at 0; None below 2 values)."""
    n = len(values)
    if n == 0:
        return None, None
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = z * math.sqrt(variance / n)
    return mean, Interval(max(0.0, mean - half), mean + half)


@dataclass(frozen=True)
class ComplianceEstimate:
    """Non-compliance and revenue gap of one group (period x office), from its random
    controls: `controls` randomly selected declarations with a result, `irregular` of them
    found irregular, `revenues` assessed by each, `declarations` lodged in the group."""

    controls: int
    irregular: int
    declarations: int
    rate: float | None
    rate_ci: Interval | None
    mean_revenue: float | None
    mean_revenue_ci: Interval | None
    revenue_gap: float | None
    revenue_gap_ci: Interval | None

    def as_dict(self) -> dict[str, object]:
        def r(x: float | None, digits: int) -> float | None:
            return None if x is None else round(x, digits)

        return {"controls": self.controls, "irregular": self.irregular,
                "declarations": self.declarations,
                "non_compliance_rate": r(self.rate, 6),
                "non_compliance_ci": self.rate_ci and self.rate_ci.as_dict(),
                "mean_revenue": r(self.mean_revenue, 2),
                "mean_revenue_ci": self.mean_revenue_ci and self.mean_revenue_ci.as_dict(),
                "revenue_gap": r(self.revenue_gap, 2),
                "revenue_gap_ci": self.revenue_gap_ci and self.revenue_gap_ci.as_dict()}


def estimate(irregular: int, revenues: Sequence[float], declarations: int,
             z: float = Z95) -> ComplianceEstimate:
    """The estimate of one group; `revenues` has one value per random control (0 when the
    control assessed nothing), so len(revenues) is the number of controls."""
    controls = len(revenues)
    mean, mean_ci = mean_interval(revenues, z)
    return ComplianceEstimate(
        controls, irregular, declarations, rate(irregular, controls),
        wilson(irregular, controls, z), mean, mean_ci,
        None if mean is None else mean * declarations,
        None if mean_ci is None else mean_ci.scaled(declarations))


@dataclass(frozen=True)
class ComplianceRecord:
    """A trader's record: declarations filed, controlled ones, irregular ones."""

    declarations: int
    controls: int
    irregular: int
    revenue: float

    @property
    def compliance_rate(self) -> float | None:
        return rate(self.controls - self.irregular, self.controls)

    @property
    def compliance_ci(self) -> Interval | None:
        return wilson(self.controls - self.irregular, self.controls)
