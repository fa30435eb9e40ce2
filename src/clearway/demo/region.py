"""`make demo`'s region: the home administration and a neighbour, each its own installation
(own database, port, keys), connected as two real administrations would be: each registers
the other with the operator commands' use cases, both load the example agreement and share
the pseudonym keys of that agreement. Then cross-border trade flows between them
(`region_feed`): exports released at one become anticipated arrivals at the other, where the
importer lodges on arrival; a few carry planted discrepancies, one never arrives.

The demo compresses time: goods "arrive" seconds after they leave, so the crossing's shortest
plausible transit is set to 0 minutes for the demo's copy of the agreement (a real pair loads
docs/examples/agreement-rs-mk.yaml as it is).
"""

from __future__ import annotations

import base64
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from clearway.clock import FixedClock
from clearway.context import Context
from clearway.declarations.model import Party
from clearway.demo.crossborder import Crossing, export
from clearway.demo.generator import DeclarationGenerator
from clearway.exchange import service as exchange
from clearway.exchange import signing
from clearway.identity import User
from clearway.users.service import create_user, record_created

AGREEMENT_FILE = Path(__file__).resolve().parents[3] / "docs" / "examples" / \
    "agreement-rs-mk.yaml"
AGREEMENT = "RS-MK-2026"
ACTOR = "administrator:demo"
CROSSINGS = {"RS": ("RS004002", "MK002001"), "MK": ("MK002001", "RS004002")}
PARTNERS = {"RS": "MK", "MK": "RS"}  # the neighbour each demo administration runs beside it


@dataclass
class Side:
    """One administration of the demo: its context, users (name -> (token, trader, user))
    and where it listens."""

    code: str
    ctx: Context
    users: dict[str, tuple[str, str | None, User]]
    url: str
    traders: list[str] = field(default_factory=list)

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.users[name][0]}"}

    def trader_user(self, trader: str) -> str:
        return next(n for n, (_t, tid, _u) in self.users.items() if tid == trader)


def pseudonym_keys(folder: Path) -> Path:
    """The keys file both demo administrations read: one fresh key for the agreement."""
    path = folder / "demo-pseudonym-keys.yaml"
    secret = base64.b64encode(secrets.token_bytes(32)).decode()
    # And the border's own key (docs/border.md): drivers and listed persons as pseudonyms.
    border = base64.b64encode(secrets.token_bytes(32)).decode()
    path.write_text(yaml.safe_dump([{"agreement": AGREEMENT, "id": "demo-1", "secret": secret,
                                     "valid_from": date(2026, 1, 1), "valid_to": None},
                                    {"agreement": "border", "id": "demo-border-1",
                                     "secret": border, "valid_from": date(2026, 1, 1),
                                     "valid_to": None}]),
                    encoding="utf-8")
    path.chmod(0o600)
    return path


def demo_agreement() -> str:
    """The example agreement with the crossing's shortest transit at 0 (time compressed)."""
    entries: list[dict[str, Any]] = yaml.safe_load(AGREEMENT_FILE.read_text(encoding="utf-8"))
    for entry in entries:
        for crossing in entry.get("crossings", []):
            crossing["transit_minutes"][0] = 0
    return yaml.safe_dump(entries, sort_keys=False)


def connect(one: Side, other: Side) -> None:
    """Each registers the other (partners add) and loads the agreement (agreements import)."""
    text = demo_agreement()
    for me, them in ((one, other), (other, one)):
        exchange.add_partner(me.ctx, them.code, f"Customs administration {them.code}",
                             f"{them.url}/api/v1/exchange/inbox",
                             signing.public_pem(signing.exchange_key(them.ctx.settings)), ACTOR)
        exchange.import_agreements(me.ctx, text, ACTOR)
        me.users[f"liaison-{them.code.lower()}"] = liaison(me.ctx, them.code)


def liaison(ctx: Context, partner: str) -> tuple[str, str | None, User]:
    """The partner administration's liaison user: sees the mutual-assistance requests
    exchanged with its administration, nothing else."""
    with ctx.uow() as uow:
        user, token = create_user(uow.session, name=f"liaison-{partner.lower()}",
                                  role="partner", trader_id=partner, now=ctx.clock.now(),
                                  ttl_days=30)
        record_created(uow.session, user, actor=ACTOR, now=ctx.clock.now())
        uow.commit()
    return token, partner, user



def past_export(home: Side, partner: Side, hours: float = 30.0, tries: int = 8) -> str | None:
    """An export that left `hours` ago and never arrived: lodged with the home side's clock set
    back, so its anticipated arrival is long overdue when the neighbour's sweep looks (the
    live feed's exports would take a day to get there). Returns its MRN (None: none of the
    tries was released at once)."""
    from clearway.clearance.lodging import submit

    ctx = home.ctx
    live = ctx.clock
    ctx.clock = FixedClock(live.now() - timedelta(hours=hours))
    rng = random.Random(31)
    gen = DeclarationGenerator(ctx.refdata.get(), rng, ctx.clock.now().date(), home.code)
    exit_office, entry_office = CROSSINGS[home.code]
    try:
        for n in range(tries):
            trader = home.traders[n % len(home.traders)]
            doc = export(gen, rng, Crossing(exit_office, entry_office, partner.code),
                         f"X-{home.code}-PAST-{n}", exporter=trader,
                         consignee=Party(id=partner.traders[0]), country=home.code)
            done = submit(ctx, doc.model_dump_json(exclude_none=True).encode(),
                          "application/json", home.users[home.trader_user(trader)][2])
            if done.row.status == "released":
                return done.row.mrn
    finally:
        ctx.clock = live
    return None
