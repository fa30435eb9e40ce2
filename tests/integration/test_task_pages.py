"""What the officer's and supervisor's rooms read, on SQLite and PostgreSQL: a task list paged
on the server with its total, filtered by status with the open tasks first, the waiting time
of each; the people a task may be reassigned to (on duty and qualified, by name); the offices
a supervisor is offered; the history of decided four-eyes requests, latest first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clearway.clearance import overrides as four_eyes
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.controls import repository as repo
from clearway.controls import service as controls
from clearway.controls.model import OPEN_STATUSES
from clearway.overrides import service as overrides
from clearway.overrides.model import Kind
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_controls import ControlTaskRow
from clearway.storage.orm_risk import CapacityBudgetRow
from clearway.users import service as users
from clearway.web.controls import PAGE_SIZE, pager, waiting
from controls_world import ELSEWHERE, OFFICE, QUAL, World, force, lodge, office, staff

# How many tasks of each status the officer "qual" gets (214 in all, as in the issue).
MADE = {"assigned": 40, "in_progress": 25, "awaiting_officer": 0, "done": 120, "waived": 20,
        "cancelled": 9}
OPEN = sum(n for s, n in MADE.items() if s in OPEN_STATUSES)


def add_tasks(ctx: Context, world: World, declaration_id: int) -> None:
    """Tasks straight into storage (lodging 214 declarations would only slow the test), the
    n-th opened n minutes before now, statuses interleaved so that ids do not sort them."""
    now = ctx.clock.now()
    statuses = [s for s, n in MADE.items() for _ in range(n)]
    statuses = statuses[::2] + statuses[1::2]
    with ctx.uow() as uow:
        for n, status in enumerate(statuses):
            repo.add_task(uow.session, declaration_id=declaration_id, reference=f"REF{n}",
                          office=OFFICE, channel="red", kind="physical", status=status,
                          qualifications=[], reasons=[], instructions=[],
                          random_selected=False, origin="decision",
                          officer_id=world.qualified.id,
                          created_at=now - timedelta(minutes=len(statuses) - n),
                          assigned_at=now, started_at=None, completed_at=None)
        uow.commit()


@pytest.fixture
def desk(ctx: Context) -> World:
    force(ctx, Channel.GREEN, None)  # the lodged declaration opens no task of its own
    world = office(ctx)
    add_tasks(ctx, world, lodge(ctx, world, "PAGES-1").id)
    return world


@pytest.mark.parametrize(("statuses", "page", "total", "on_page"), [
    (sorted(OPEN_STATUSES), 1, OPEN, PAGE_SIZE),
    (sorted(OPEN_STATUSES), 2, OPEN, OPEN - PAGE_SIZE),
    (None, 1, 214, PAGE_SIZE),
    (None, 5, 214, 214 - 4 * PAGE_SIZE),
    (None, 6, 214, 0),
    (["done"], 3, 120, 120 - 2 * PAGE_SIZE),
    (["waived", "cancelled"], 1, 29, 29),
    (["awaiting_officer"], 1, 0, 0),
])
def test_task_pages_carry_the_total_and_the_filter(
        ctx: Context, desk: World, statuses: list[str] | None, page: int, total: int,
        on_page: int) -> None:
    found = controls.task_page(ctx, desk.qualified, office=None, statuses=statuses,
                               limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    assert found.total == total and len(found.rows) == on_page
    assert all(statuses is None or t.status in statuses for t in found.rows)
    if found.rows:
        assert found.names == {desk.qualified.id: "qual"}


def test_all_tasks_list_the_open_ones_first_newest_first(ctx: Context, desk: World) -> None:
    rows: list[ControlTaskRow] = []
    for offset in range(0, 214, PAGE_SIZE):
        rows += controls.task_page(ctx, desk.qualified, office=None, statuses=None,
                                   limit=PAGE_SIZE, offset=offset).rows
    assert len({t.id for t in rows}) == 214  # no task twice, none left out across pages
    opened = [t.status in OPEN_STATUSES for t in rows]
    assert opened == [True] * OPEN + [False] * (214 - OPEN)
    assert [t.id for t in rows[:OPEN]] == sorted((t.id for t in rows[:OPEN]), reverse=True)
    assert [t.id for t in rows[OPEN:]] == sorted((t.id for t in rows[OPEN:]), reverse=True)


def test_another_officer_sees_none_of_them(ctx: Context, desk: World) -> None:
    found = controls.task_page(ctx, desk.unqualified, office=None, statuses=None, limit=50,
                               offset=0)
    assert (found.rows, found.total) == ([], 0)


@pytest.mark.parametrize(("page", "total", "shown", "prev", "next"), [
    (1, 214, "1\u201350 of 214", None, 2),
    (2, 214, "51\u2013100 of 214", 1, 3),
    (5, 214, "201\u2013214 of 214", 4, None),
    (1, 50, "1\u201350 of 50", None, None),
    (1, 0, "0 of 0", None, None),
    (9, 214, "0 of 214", 8, None),
])
def test_pager_reads_as_rows_of_the_total(page: int, total: int, shown: str,
                                          prev: int | None, next: int | None) -> None:
    found = pager("/console/tasks", {"status": "all"}, page, total)
    assert found["shown"] == shown
    link = "/console/tasks?status=all&page={}".format
    assert found["prev_link"] == (link(prev) if prev else None)
    assert found["next_link"] == (link(next) if next else None)


def test_waiting_time_counts_from_opening_for_open_tasks(ctx: Context, desk: World) -> None:
    rows = controls.task_page(ctx, desk.qualified, office=None, statuses=None, limit=500,
                              offset=0).rows
    waits = waiting(rows, ctx.clock.now())
    assert set(waits) == {t.id for t in rows if t.status in OPEN_STATUSES}
    oldest_open = min((t for t in rows if t.status in OPEN_STATUSES),
                      key=lambda t: t.created_at)
    minutes = int((ctx.clock.now() - oldest_open.created_at).total_seconds() // 60)
    assert waits[oldest_open.id] == f"{minutes // 60} h {minutes % 60} min"


def test_reassignment_choices_are_the_eligible_officers_by_name(ctx: Context) -> None:
    force(ctx, Channel.RED, QUAL)
    world = office(ctx)
    far = lodge(ctx, world, "PICK-1")  # needs QUAL: only "qual" is eligible, and holds it
    controls.add_shift(ctx, staff(ctx, "quinn", "officer").id, OFFICE,
                       ctx.clock.now() - timedelta(hours=2), ctx.clock.now() + timedelta(hours=2),
                       world.supervisor)
    force(ctx, Channel.RED, None)
    plain = lodge(ctx, world, "PICK-2")  # needs nothing: every officer on duty here
    with ctx.uow(read_only=True) as uow:
        tasks = {t.declaration_id: t for t in uow.session.query(ControlTaskRow)}
    needing, free = tasks[far.id], tasks[plain.id]
    choices = controls.reassignment_choices(ctx, [needing, free])
    assert free.officer_id is not None
    current = users.names(ctx, [free.officer_id])[free.officer_id]
    assert needing.officer_id == world.qualified.id and choices[needing.id] == []
    assert [n for _, n in choices[free.id]] == sorted({"qual", "unq", "quinn"} - {current})
    # the picker offers exactly whom the reassignment accepts
    for officer_id, _ in choices[free.id]:
        assert officer_id not in (world.elsewhere.id, world.off_duty.id, free.officer_id)
    moved = controls.reassign(ctx, free.id, choices[free.id][0][0], "picked from the list",
                              world.supervisor)
    assert moved.officer_id == choices[free.id][0][0]


def test_a_supervisor_is_offered_the_offices_they_work_at(ctx: Context) -> None:
    world = office(ctx, on_duty=False)
    assert controls.offices_for(ctx, world.supervisor) == []
    with ctx.uow() as uow:
        uow.session.add_all([CapacityBudgetRow(office="RS009001", channel="red", per_day=5),
                             CapacityBudgetRow(office="RS009001", channel="yellow",
                                               per_day=9),
                             CapacityBudgetRow(office="RS001009", channel="red", per_day=3)])
        uow.commit()
    assert controls.offices_for(ctx, world.supervisor) == ["RS001009", "RS009001"]
    now = ctx.clock.now()
    for where, days in ((OFFICE, 3), (ELSEWHERE, 1)):
        controls.add_shift(ctx, world.supervisor.id, where, now - timedelta(days=days),
                           now - timedelta(days=days) + timedelta(hours=8), world.supervisor)
    assert controls.offices_for(ctx, world.supervisor) == [ELSEWHERE, OFFICE]


def test_decided_requests_latest_first_with_names(ctx: Context, clock: FixedClock) -> None:
    force(ctx, Channel.RED, None)
    world = office(ctx)
    second = staff(ctx, "sup2", "supervisor")
    cases = [(world.qualified, world.supervisor, "approved"),
             (world.unqualified, second, "rejected"), (world.qualified, second, "approved")]
    decided = []
    for n, (asker, decider, outcome) in enumerate(cases):
        row = lodge(ctx, world, f"HIST-{n}")
        asked = four_eyes.request(ctx, row.mrn or "", Kind.WAIVER, None,
                                  "Checked at the border post, nothing to see", asker)
        clock.advance(minutes=5)
        if outcome == "approved":
            four_eyes.approve(ctx, asked.id, None, decider)
        else:
            overrides.reject(ctx, asked.id, "a physical check is needed", decider)
        decided.append((asked.id, asker.name, decider.name, outcome))
    pending = lodge(ctx, world, "HIST-P")
    four_eyes.request(ctx, pending.mrn or "", Kind.WAIVER, None,
                      "Still waiting for a decision here", world.qualified)
    rows, total = overrides.history(ctx, offset=0, limit=2)
    assert total == 3
    assert [(r.row.id, r.requested_by, r.decided_by, r.row.status)
            for r in rows] == decided[::-1][:2]
    older, _ = overrides.history(ctx, offset=2, limit=2)
    assert [r.row.id for r in older] == [decided[0][0]]
    times = [r.row.decided_at for r in (*rows, *older)]
    assert times == sorted((t for t in times if t is not None), reverse=True)
    assert len(set(times)) == 3
