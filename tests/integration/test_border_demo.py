"""The demo's border seed on a prepared system: a border police user joins the demo's users,
the watch lists hold their entries and the seeded crossing raised its alerts (with a person
only when a border pseudonym key is at hand)."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest

from clearway.bootstrap import prepare
from clearway.border import service as border
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.demo.border import seed_border
from clearway.demo.feed import Users
from clearway.users.service import create_user
from conftest import NOW


@pytest.mark.parametrize("with_key", [True, False])
def test_the_demo_seeds_entries_and_a_crossing_with_hits(db_url: str, tmp_path: Path,
                                                         with_key: bool) -> None:
    keys = tmp_path / "keys.yaml"
    secret = base64.b64encode(b"d" * 32).decode()
    keys.write_text(f"- agreement: border\n  id: d1\n  secret: \"{secret}\"\n"
                    "  valid_from: 2026-01-01\n" if with_key else "[]\n", encoding="utf-8")
    ctx = build_context(Settings(database_url=db_url, environment="test", country_code="RS",
                                 pseudonym_keys_file=str(keys)),
                        clock=FixedClock(NOW), rng=random.Random(1))
    prepare(ctx)
    users: Users = {}
    with ctx.uow() as uow:
        for name, role in (("analyst", "risk_analyst"), ("officer", "officer")):
            user, token = create_user(uow.session, name=name, role=role, trader_id=None,
                                      now=NOW, ttl_days=1)
            users[name] = (token, None, user)
        uow.commit()
    line = seed_border(ctx, users)
    police = users["police"][2]
    kinds = sorted(str(a.kind) for a in border.list_alerts(ctx, police))
    assert kinds == (["container", "person", "vehicle"] if with_key else
                     ["container", "vehicle"]), line
    assert len(border.list_entries(ctx, users["officer"][2])) == (4 if with_key else 3)
    ctx.engine.dispose()
