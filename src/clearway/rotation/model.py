"""Tenure on a post as pure rules over duty shifts. No storage, no HTTP.

A post is an office and a function (the shift's `function`, "control" by default). An
officer's tenure on a post runs from the first shift of their current run there: shifts on
the post with no gap of BREAK_DAYS or more between one's end and the next's start. Half a
year away from a post is a rotation; an occasional shift elsewhere is not. A shift is
refused when it would end after the day the officer must rotate by (run start + maximum
tenure) unless an approved exception lasts at least until its last day; supervisors are
warned from `warn_days` before that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

BREAK_DAYS = 180
DEFAULT_FUNCTION = "control"
MAX_TENURE_DAYS = 7300  # twenty years: a longer limit is a typing error


class TenureStatus:
    OK = "ok"
    WARNING = "warning"  # within warn_days of the day to rotate by
    OVER = "over"  # past it, without an exception
    EXCEPTION = "exception"  # past it (or about to be), under an approved exception


@dataclass(frozen=True)
class Post:
    office: str
    function: str
    max_tenure_days: int
    warn_days: int


@dataclass(frozen=True)
class Served:
    """One duty shift, as far as rotation cares."""

    officer_id: int
    office: str
    function: str
    starts_at: datetime
    ends_at: datetime

    @property
    def post(self) -> tuple[str, str]:
        return self.office, self.function


@dataclass(frozen=True)
class Tenure:
    officer_id: int
    office: str
    function: str
    since: date  # first day of the current run on the post
    last_day: date  # last day served (or rostered) on it
    rotate_by: date  # since + max_tenure_days
    days_left: int  # from `today` to rotate_by (negative: past it)
    exception_until: date | None
    status: str


@dataclass(frozen=True)
class PlanEntry:
    """A line of an office's rotation plan: who must rotate off which post by when."""

    tenure: Tenure
    officer: str  # the officer's name


def run_start(shifts: Iterable[Served]) -> datetime | None:
    """The start of the current run among one officer's shifts on one post."""
    ordered = sorted(shifts, key=lambda s: s.starts_at)
    if not ordered:
        return None
    start, reach = ordered[0].starts_at, ordered[0].ends_at
    for s in ordered[1:]:
        if s.starts_at - reach >= timedelta(days=BREAK_DAYS):
            start = s.starts_at
        reach = max(reach, s.ends_at)
    return start


def tenure(shifts: Iterable[Served], post: Post, today: date,
           exception_until: date | None) -> Tenure | None:
    """An officer's tenure on `post` from their shifts there (None: never served on it)."""
    mine = [s for s in shifts if s.post == (post.office, post.function)]
    start = run_start(mine)
    if start is None:
        return None
    last_day = max(s.ends_at for s in mine).date()
    rotate_by = start.date() + timedelta(days=post.max_tenure_days)
    covered = exception_until is not None and exception_until >= last_day
    if last_day > rotate_by:
        status = TenureStatus.EXCEPTION if covered else TenureStatus.OVER
    elif (rotate_by - max(today, last_day)).days <= post.warn_days:
        status = TenureStatus.EXCEPTION if covered else TenureStatus.WARNING
    else:
        status = TenureStatus.OK
    return Tenure(mine[0].officer_id, post.office, post.function, start.date(), last_day,
                  rotate_by, (rotate_by - today).days, exception_until, status)


def serving(shifts: Iterable[Served], today: date) -> bool:
    """Whether the officer still holds the post: a shift there within the last BREAK_DAYS
    (or a rostered one to come)."""
    return any(s.ends_at.date() > today - timedelta(days=BREAK_DAYS) for s in shifts)


def rotated_in(shifts: Iterable[Served], sensitive: set[tuple[str, str]], year: int
               ) -> tuple[set[int], set[int]]:
    """(officers who served on a sensitive post in `year`, those of them who rotated in it):
    a run of theirs on a sensitive post ended in the year (no shift there within BREAK_DAYS
    after its last) and they served on another post after it."""
    first, after = datetime(year, 1, 1).date(), datetime(year + 1, 1, 1).date()
    by_officer: dict[int, list[Served]] = defaultdict(list)
    for s in shifts:
        by_officer[s.officer_id].append(s)
    served: set[int] = set()
    rotated: set[int] = set()
    for officer, own in by_officer.items():
        own.sort(key=lambda s: s.starts_at)
        for n, s in enumerate(own):
            if s.post not in sensitive:
                continue
            if s.starts_at.date() < after and s.ends_at.date() >= first:
                served.add(officer)
            if _left_after(own, n) and first <= s.ends_at.date() < after:
                rotated.add(officer)
    return served, rotated & served


def _left_after(own: list[Served], n: int) -> bool:
    """Whether shift `n` is the last of a run on its post followed by another post."""
    s = own[n]
    back = [o for o in own[n + 1:] if o.post == s.post]
    if back and back[0].starts_at - s.ends_at < timedelta(days=BREAK_DAYS):
        return False
    return any(o.post != s.post and o.starts_at >= s.ends_at for o in own[n + 1:])


def shift_tenure(existing: Iterable[Served], new: Served, post: Post,
                 exception_until: date | None) -> Tenure:
    """The tenure a new shift would bring the officer to (over: the roster refuses it),
    counting their shifts on the post up to it."""
    earlier = [s for s in existing if s.post == new.post and s.starts_at <= new.starts_at]
    found = tenure([*earlier, new], post, new.starts_at.date(), exception_until)
    assert found is not None  # the new shift is on the post
    return found
