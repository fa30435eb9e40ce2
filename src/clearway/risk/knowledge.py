"""What the engine knows, kept in memory and rebuilt when it changes in the database.

Each component (active profiles, IPR applications, dual-use list, restricted-party lists,
valuation references, ENS rules, the promoted model) has a cheap *signature* query (counts and
latest change times) and a *build* step. The composition root (`clearway.composition`) hands
the components over, so this module knows none of the domains they come from.
`KnowledgeCache.get` re-reads the signatures at most every `recheck_seconds`, so a profile
activated in one process reaches every other process within that time, and rebuilds only the
components whose signature moved (a 50,000-entry screening index is not rebuilt because a
profile changed). In-process changes call `invalidate()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clearway.config import Settings
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import EngineSettings, Knowledge, RuleSet, Scorer

# The part of this name is a mapping agency code -> rule set: the agencies' own profiles,
# kept out of customs' rules (`Knowledge.agency_rules`).
AGENCY_RULES = "agency_profiles"
# The part of this name is the traders' MoU memberships (`Knowledge.memberships`), read into
# the item frame as AEO status is: not a rule set.
MEMBERSHIPS = "mou_memberships"


@dataclass(frozen=True)
class Component:
    """One part of the engine's knowledge: how to tell it changed, and how to build it."""

    name: str
    signature: Callable[[Session, Settings], Hashable]
    build: Callable[[Session, KnowledgeCache], Any]  # a RuleSet, a Scorer, a frame, or None


@dataclass(frozen=True)
class Built:
    knowledge: Knowledge
    references: Any  # valuation references frame for `frame.with_references`, or None


class KnowledgeCache:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 components: Sequence[Component],
                 refdata: Callable[[], RefDataSnapshot] | None = None) -> None:
        self._sessions, self._settings = sessions, settings
        self.refdata = refdata  # values in EUR in the model's history, as on the live path
        self._components = tuple(components)
        self._lock = threading.Lock()
        self._signatures: dict[str, Hashable] = {}
        self._parts: dict[str, Any] = {}
        self._built: Built | None = None
        self._checked = 0.0

    @property
    def settings(self) -> Settings:
        return self._settings

    def previous(self, name: str) -> Any:
        """The part `name` as last built (None before the first build): a build step may
        carry state over from it (the screening cache across list versions)."""
        return self._parts.get(name)

    def engine_settings(self) -> EngineSettings:
        s = self._settings
        return EngineSettings(random_share=s.random_share, red_at=s.red_at,
                              yellow_at=s.yellow_at, blue_at=s.blue_at,
                              aeoc_factor=s.aeoc_factor, aeos_factor=s.aeos_factor)

    def get(self) -> Built:
        recheck = self._settings.risk_recheck_seconds
        if self._built is not None and time.monotonic() - self._checked < recheck:
            return self._built
        with self._lock, self._sessions() as session:
            changed = False
            for c in self._components:
                sig = c.signature(session, self._settings)
                if c.name not in self._parts or sig != self._signatures.get(c.name):
                    self._parts[c.name] = c.build(session, self)
                    self._signatures[c.name] = sig
                    changed = True
            self._checked = time.monotonic()
            if changed or self._built is None:
                self._built = self._assemble()
            return self._built

    def _assemble(self) -> Built:
        rules: list[RuleSet] = []
        scorer: Scorer | None = None
        references = None
        agency_rules: dict[str, RuleSet] = {}
        memberships = None
        for name, part in self._parts.items():
            if part is None:
                continue
            if name == "model":
                scorer = part
            elif name == AGENCY_RULES:
                agency_rules = dict(part)
            elif name == MEMBERSHIPS:
                memberships = part
            else:
                rules.append(part)
                if name == "valuation":
                    references = part.references
        return Built(Knowledge(rules=tuple(rules), scorer=scorer,
                               settings=self.engine_settings(), agency_rules=agency_rules,
                               memberships=memberships),
                     references)

    def invalidate(self) -> None:
        self._checked = 0.0
