"""What the engine knows, kept in memory and rebuilt when it changes in the database.

Each component (active profiles, IPR applications, dual-use list, restricted-party lists,
valuation references, ENS rules, the promoted model) has a cheap *signature* query (counts and
latest change times) and a *build* step. `KnowledgeCache.get` re-reads the signatures at most
every `recheck_seconds`, so a profile activated in one process reaches every other process within
that time, and rebuilds only the components whose signature moved (a 50,000-entry screening
index is not rebuilt because a profile changed). In-process changes call `invalidate()`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clearway.config import Settings
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import EngineSettings, Knowledge, RuleSet, Scorer
from clearway.storage.orm_risk import ScreeningEntryRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Component:
    """One part of the engine's knowledge: how to tell it changed, and how to build it."""

    name: str
    signature: Callable[[Session, Settings], Hashable]
    build: Callable[[Session, KnowledgeCache], Any]  # a RuleSet, a Scorer, a frame, or None


def _screening_signature(session: Session, settings: Settings) -> Hashable:
    return tuple(session.execute(select(func.count(ScreeningEntryRow.id),
                                        func.max(ScreeningEntryRow.id),
                                        func.max(ScreeningEntryRow.loaded_at))).one())


def _screening_build(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    from clearway.risk.party_screening import PartyScreening
    from clearway.screening.matcher import Screener
    from clearway.screening.repository import load_entries

    entries = load_entries(session)
    return PartyScreening(Screener(entries)) if entries else None


def _constant(session: Session, settings: Settings) -> Hashable:
    return 0


def _valuation_signature(session: Session, settings: Settings) -> Hashable:
    from clearway.valuation.repository import signature

    return signature(session)


def _valuation_build(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    """The low-value rule over the stored references (None: no reference yet). The same
    lookup fills the item frame's reference columns (see `_assemble`)."""
    from clearway.valuation.model import ValuationRule
    from clearway.valuation.repository import load_references

    found = load_references(session)
    return ValuationRule(references=found) if found.height else None


def _ens_build(session: Session, cache: KnowledgeCache) -> RuleSet:
    from clearway.risk.engine.ens import EnsRules

    return EnsRules.load(cache.settings.ens_rules_file)


def _profiles_signature(session: Session, settings: Settings) -> Hashable:
    from clearway.profiles.repository import signature

    return signature(session)


def _profiles_build(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    from clearway.profiles.repository import active_set

    return active_set(session)


def _ipr_signature(session: Session, settings: Settings) -> Hashable:
    from clearway.ipr.repository import signature

    return signature(session)


def _ipr_build(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    from clearway.ipr.matcher import IprRegister
    from clearway.ipr.repository import active

    applications = active(session)
    return IprRegister(applications) if applications else None


def _dual_use_signature(session: Session, settings: Settings) -> Hashable:
    from clearway.dualuse.repository import signature

    return signature(session)


def _dual_use_build(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    from clearway.dualuse.matcher import DualUseList
    from clearway.dualuse.repository import entries

    found = entries(session)
    return DualUseList(found) if found else None


def _model_signature(session: Session, settings: Settings) -> Hashable:
    from clearway.risk.learning.registry import ModelRegistry

    # The history snapshot is rebuilt each day (and when another model is promoted).
    return ModelRegistry(settings.model_dir).active_version(), datetime.now(UTC).date()


def _model_build(session: Session, cache: KnowledgeCache) -> Scorer | None:
    """The promoted model with a snapshot of the label store as of the start of today, or
    None (no model promoted, or one whose features the live data cannot produce: logged)."""
    from clearway.risk.learning.features import FeatureConfig
    from clearway.risk.learning.history_store import history_frame
    from clearway.risk.learning.registry import ModelRegistry, RegistryError
    from clearway.risk.learning.scoring import EngineScorer, HistorySnapshot, ModelScorer

    registry = ModelRegistry(cache.settings.model_dir)
    version = registry.active_version()
    if version is None:
        return None
    try:
        record = registry.record(version)
        config = FeatureConfig.from_dict(record.metadata.get("feature_config", {}))
        day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        history = history_frame(session, until=day,
                                refdata=cache.refdata() if cache.refdata else None)
        snapshot = HistorySnapshot.build(history, config=config,
                                         prior=float(record.metadata["prior"]))
        model = registry.load(version, expected_features=snapshot.feature_names)
        return EngineScorer(ModelScorer(model, snapshot, version))
    except (RegistryError, ValueError, KeyError) as exc:
        log.warning("risk model %s not used: %s", version, exc)
        return None


def default_components() -> list[Component]:
    return [
        Component("model", _model_signature, _model_build),
        Component("profiles", _profiles_signature, _profiles_build),
        Component("ipr", _ipr_signature, _ipr_build),
        Component("dual_use", _dual_use_signature, _dual_use_build),
        Component("screening", _screening_signature, _screening_build),
        Component("valuation", _valuation_signature, _valuation_build),
        Component("ens", _constant, _ens_build),
    ]


@dataclass(frozen=True)
class Built:
    knowledge: Knowledge
    references: Any  # valuation references frame for `frame.with_references`, or None


class KnowledgeCache:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 components: list[Component] | None = None,
                 refdata: Callable[[], RefDataSnapshot] | None = None) -> None:
        self._sessions, self._settings = sessions, settings
        self.refdata = refdata  # values in EUR in the model's history, as on the live path
        self._components = components if components is not None else default_components()
        self._lock = threading.Lock()
        self._signatures: dict[str, Hashable] = {}
        self._parts: dict[str, Any] = {}
        self._built: Built | None = None
        self._checked = 0.0

    @property
    def settings(self) -> Settings:
        return self._settings

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
        for name, part in self._parts.items():
            if part is None:
                continue
            if name == "model":
                scorer = part
            else:
                rules.append(part)
                if name == "valuation":
                    references = part.references
        return Built(Knowledge(rules=tuple(rules), scorer=scorer,
                               settings=self.engine_settings()), references)

    def invalidate(self) -> None:
        self._checked = 0.0
