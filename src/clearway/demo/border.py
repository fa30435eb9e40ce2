"""The demo's border: a border police officer, a few entries on the shared watch lists (a
lorry the police look for, a container plant health asked customs to stop, a company customs
watches, a person when a border key is at hand) and one crossing at the booth that hits two of
them, so the Border room opens with alerts in it."""

from __future__ import annotations

from clearway.border import service as border
from clearway.border.booth import Presented
from clearway.border.model import Booth
from clearway.border.people import KEYS, Person
from clearway.context import Context
from clearway.demo.feed import Users
from clearway.identity import Role, User
from clearway.prearrival import service as booth
from clearway.privacy import pseudonyms
from clearway.users.service import create_user

POLICE = "police"
DRIVER = Person("Petar Petrović", "P0404040", "RS")


def _police(ctx: Context, users: Users) -> User:
    found = [u for _t, _c, u in users.values() if u.role == Role.BORDER_POLICE]
    if found:
        return found[0]
    with ctx.uow() as uow:
        user, token = create_user(uow.session, name=POLICE, role="border_police",
                                  trader_id=None, now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    users[POLICE] = (token, None, user)
    return user


def seed_border(ctx: Context, users: Users) -> str:
    """Watch-list entries and one booth record with hits; a line saying what was seeded.
    `users`: the demo's name -> (token, trader id, user); a border police user joins it."""
    police, analyst = _police(ctx, users), users["analyst"][2]
    officer = users["officer"][2]
    points = [p for p in border.crossing_points(ctx) if p.active]
    if not points:
        return "Border: no crossing point of this administration is packaged"
    new = border.NewEntry
    border.add_entry(ctx, police, new("vehicle", "BG-404-KS", "Lorry reported stolen; hold "
                                      "it and call the border police", ("customs",)))
    border.add_entry(ctx, analyst, new("container", "MSKU 404040-4", "Plant health: "
                                       "consignments from this box carried pests before",
                                       ("border_police", "PH")))
    border.add_entry(ctx, analyst, new("company", "Adriatic Shadow Trading d.o.o.",
                                       "Suspected undervaluation ring", ("border_police",)))
    ring = pseudonyms.load(ctx.settings.pseudonym_keys_file)
    driver = DRIVER if ring.current(KEYS, ctx.clock.now().date()) else None
    if driver is not None:
        border.add_entry(ctx, police, new("person", None, "Wanted for questioning",
                                          ("customs",), person=driver))
    point = points[0]
    done = booth.record_crossing(ctx, officer, None, "BG 404 KS", ["MSKU4040404"], [],
                                 point.neighbour, border=Presented(
                                     Booth(point=point.code), driver=driver))
    return (f"Border: {len(points)} crossing points, watch-list entries for a lorry, a "
            f"container, a company{' and a person' if driver else ''}; crossing "
            f"#{done.crossing_id} at {point.name} raised {len(done.alerts)} alerts")
