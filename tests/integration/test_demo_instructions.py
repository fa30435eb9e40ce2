"""`make demo`'s instructions and training plan: a new version of the IPR instruction waits
for the officers holding the IPR qualification (the others have acknowledged everything),
and the year's plan holds a session held and sessions to come, beside the needs."""

from __future__ import annotations

from pathlib import Path

from clearway.demo.run import prepare_side
from clearway.instructions import service as instructions
from clearway.training import plan_service


def test_the_demo_shows_an_instruction_waiting_and_a_training_plan(tmp_path: Path) -> None:
    side = prepare_side(tmp_path / "demo.db", 0, "RS")
    ctx, users = side.ctx, {name: user for name, (_t, _tr, user) in side.users.items()}
    try:
        pending = {name: [(o.instruction.code, o.instruction.version)
                          for o in instructions.mine(ctx, users[name]) if not o.acknowledged]
                   for name in ("officer", "officer2", "officer3")}
        assert pending == {"officer": [("IPR-608", 2)], "officer2": [("IPR-608", 2)],
                           "officer3": []}
        plan = plan_service.plan_of(ctx, ctx.clock.now().year)
        assert len(plan.sessions) >= 1 and any(s.held_on for s in plan.sessions)
        rates = instructions.office_rates(ctx)
        assert rates and all(r.due > r.acknowledged for r in rates)
    finally:
        ctx.engine.dispose()
