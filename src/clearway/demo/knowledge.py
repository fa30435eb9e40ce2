"""The demo's risk knowledge, shipped in `clearway/demo/data`: profiles, IPR applications, a
restricted-party list and the offices' control capacity. Loaded through the same use cases
an analyst uses (validated, audited), so the demo shows them in every room."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.identity import Role, User
from clearway.ipr import service as ipr
from clearway.profiles import service as profiles
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel
from clearway.screening import service as screening

ACTOR = "demo"
DEMO_ANALYST = User(id=0, name=ACTOR, role=Role.RISK_ANALYST, trader_id=None)
LIST_ID = "DEMO-NAT"
IPR_STARTED_DAYS_AGO = 90  # every demo application runs from then, for one year


def data_text(name: str) -> str:
    """A file of the packaged demo data."""
    return resources.files("clearway.demo").joinpath("data").joinpath(name).read_text(
        encoding="utf-8")


@dataclass(frozen=True)
class DemoKnowledge:
    profiles: int
    ipr_applications: int
    screening_entries: int
    budgets: int


def ipr_yaml(today: date) -> str:
    """The demo applications, their period of action set around `today` (at most a year)."""
    data: dict[str, Any] = yaml.safe_load(data_text("ipr_applications.yaml"))
    start = today - timedelta(days=IPR_STARTED_DAYS_AGO)
    for app in data["applications"]:
        app["valid_from"] = start
        app["valid_to"] = start + timedelta(days=364)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def budgets() -> list[tuple[str, Channel, int]]:
    rows = csv.DictReader(data_text("budgets.csv").splitlines())
    return [(r["office"], Channel(r["channel"]), int(r["per_day"])) for r in rows]


def set_budgets(ctx: Context, wanted: list[tuple[str, Channel, int]]) -> int:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for office, channel, per_day in wanted:
            risk_repo.set_budget(uow.session, office, channel, per_day)
            audit.append(uow.session, at=now, actor=ACTOR, action="capacity.set",
                         object_type="office", object_id=office,
                         detail={"channel": str(channel), "per_day": per_day})
        uow.commit()
    return len(wanted)


def load_demo_knowledge(ctx: Context) -> DemoKnowledge:
    """Activate the demo profiles, file the IPR applications, load the restricted-party list
    and set the capacity budgets (each audited)."""
    saved = profiles.import_yaml(ctx, data_text("profiles.yaml"), ACTOR, owner=ACTOR,
                                 activate_all=True)
    filed = ipr.import_yaml(ctx, ipr_yaml(ctx.clock.now().date()), DEMO_ANALYST)
    loaded = screening.load_list(ctx, data_text("restricted_parties.csv"), fmt="generic",
                                 list_id=LIST_ID, source="restricted_parties.csv",
                                 user=DEMO_ANALYST)
    count = set_budgets(ctx, budgets())
    return DemoKnowledge(profiles=len(saved),
                         ipr_applications=len(filed.created) + len(filed.updated),
                         screening_entries=loaded.entries, budgets=count)
