"""The promoted model, made ready for the live decision.

The composition root (`clearway.composition`) makes the engine's knowledge cache ask
`signature` whether to rebuild, and `scorer` to rebuild: the promoted version with a snapshot
of the label store as of the start of today.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from clearway.refdata.model import RefDataSnapshot
from clearway.risk.learning.features import FeatureConfig
from clearway.risk.learning.history_store import history_frame
from clearway.risk.learning.registry import ModelRegistry, RegistryError
from clearway.risk.learning.scoring import EngineScorer, HistorySnapshot, ModelScorer

log = logging.getLogger(__name__)


def signature(model_dir: str | Path) -> Hashable:
    # The history snapshot is rebuilt each day (and when another model is promoted).
    return ModelRegistry(model_dir).active_version(), datetime.now(UTC).date()


def scorer(session: Session, model_dir: str | Path,
           refdata: RefDataSnapshot | None) -> EngineScorer | None:
    """The promoted model with a snapshot of the label store as of the start of today, or
    None (no model promoted, or one whose features the live data cannot produce: logged).
    `refdata` converts the history's values to EUR, as on the live path."""
    registry = ModelRegistry(model_dir)
    version = registry.active_version()
    if version is None:
        return None
    try:
        record = registry.record(version)
        config = FeatureConfig.from_dict(record.metadata.get("feature_config", {}))
        day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        history = history_frame(session, until=day, refdata=refdata)
        snapshot = HistorySnapshot.build(history, config=config,
                                         prior=float(record.metadata["prior"]))
        model = registry.load(version, expected_features=snapshot.feature_names)
        return EngineScorer(ModelScorer(model, snapshot, version))
    except (RegistryError, ValueError, KeyError) as exc:
        log.warning("risk model %s not used: %s", version, exc)
        return None
