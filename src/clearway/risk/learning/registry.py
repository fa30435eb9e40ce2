"""Model registry: versioned risk models on disk, one of them active.

Layout under the root (default `var/models/`)::

    v0001/model.txt        LightGBM text model, P(irregular)
    v0001/revenue.txt      LightGBM text model, expected revenue (only with a revenue label)
    v0001/metadata.json    version, created_at, training window, features, metrics, sha256, ...
    ACTIVE                 the active version (written by `promote`)

`load` refuses a model whose feature list differs from what the caller's feature builder
produces (`FeatureMismatchError`) or whose files do not match their recorded sha256
(`IntegrityError`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb

from clearway.risk.learning.model import RiskModel

DEFAULT_ROOT = Path("var/models")
_VERSION = re.compile(r"^v(\d{4,})$")


class RegistryError(Exception):
    """The registry cannot do what was asked."""


class ModelNotFoundError(RegistryError):
    pass


class FeatureMismatchError(RegistryError):
    """The stored model was trained on other features than the caller produces."""


class IntegrityError(RegistryError):
    """A model file does not match the sha256 recorded in its metadata."""


@dataclass(frozen=True)
class ModelRecord:
    version: str
    metadata: dict[str, Any]
    active: bool

    @property
    def features(self) -> list[str]:
        return list(self.metadata["features"])

    @property
    def metrics(self) -> dict[str, Any]:
        return dict(self.metadata.get("metrics", {}))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ModelRegistry:
    def __init__(self, root: str | Path = DEFAULT_ROOT) -> None:
        self.root = Path(root)

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [p.name for p in self.root.iterdir()
                 if p.is_dir() and _VERSION.match(p.name) and (p / "metadata.json").is_file()]
        return sorted(found, key=lambda v: int(v[1:]))

    def active_version(self) -> str | None:
        marker = self.root / "ACTIVE"
        if not marker.is_file():
            return None
        return marker.read_text(encoding="utf-8").strip() or None

    def record(self, version: str) -> ModelRecord:
        meta = self.root / version / "metadata.json"
        if not _VERSION.match(version) or not meta.is_file():
            raise ModelNotFoundError(f"no model {version!r} in {self.root}")
        metadata = json.loads(meta.read_text(encoding="utf-8"))
        return ModelRecord(version, metadata, version == self.active_version())

    def records(self) -> list[ModelRecord]:
        return [self.record(v) for v in self.versions()]

    def save(self, model: RiskModel, *, created_at: datetime, train_from: date,
             train_to: date, metrics: dict[str, Any] | None = None,
             extra: dict[str, Any] | None = None) -> ModelRecord:
        """Store a new version (not active until promoted)."""
        self.root.mkdir(parents=True, exist_ok=True)
        existing = [int(v[1:]) for v in self.versions()]
        version = f"v{(max(existing) + 1) if existing else 1:04d}"
        staging = self.root / f".{version}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        model.booster.save_model(str(staging / "model.txt"))
        metadata: dict[str, Any] = {
            "version": version,
            "created_at": created_at.isoformat(),
            "training_window": {"from": train_from.isoformat(), "to": train_to.isoformat()},
            "features": list(model.features),
            "categories": model.categories,
            "prior": model.prior,
            "metrics": metrics or {},
            "sha256": _sha256(staging / "model.txt"),
            "training": {k: v for k, v in model.info.items() if k in ("rounds", "params", "rows")},
            **(extra or {}),
        }
        if model.revenue_booster is not None:
            model.revenue_booster.save_model(str(staging / "revenue.txt"))
            metadata["revenue_sha256"] = _sha256(staging / "revenue.txt")
        (staging / "metadata.json").write_text(json.dumps(metadata, indent=2, sort_keys=True),
                                               encoding="utf-8")
        os.replace(staging, self.root / version)
        return self.record(version)

    def promote(self, version: str) -> ModelRecord:
        """Mark `version` as the active model (checks its files first)."""
        record = self.record(version)
        self._verify(record)
        tmp = self.root / ".ACTIVE.tmp"
        tmp.write_text(version + "\n", encoding="utf-8")
        os.replace(tmp, self.root / "ACTIVE")
        return ModelRecord(version, record.metadata, True)

    def _verify(self, record: ModelRecord) -> None:
        folder = self.root / record.version
        files = [("model.txt", record.metadata.get("sha256"))]
        if "revenue_sha256" in record.metadata:
            files.append(("revenue.txt", record.metadata["revenue_sha256"]))
        for name, expected in files:
            path = folder / name
            if not path.is_file():
                raise IntegrityError(f"model {record.version}: {name} is missing")
            if _sha256(path) != expected:
                raise IntegrityError(f"model {record.version}: {name} does not match its "
                                     "recorded sha256; refusing to load it")

    def load(self, version: str | None = None, *,
             expected_features: Sequence[str]) -> RiskModel:
        """Load `version` (default: the active one), checking hash and feature list."""
        version = version or self.active_version()
        if version is None:
            raise ModelNotFoundError(f"no active model in {self.root}; promote one first")
        record = self.record(version)
        stored, wanted = record.features, list(expected_features)
        if stored != wanted:
            missing = [f for f in stored if f not in wanted]
            added = [f for f in wanted if f not in stored]
            detail = f"not produced now: {missing}; new: {added}" if missing or added \
                else "same names in another order"
            raise FeatureMismatchError(f"model {version} was trained on other features "
                                       f"({detail}); retrain it")
        self._verify(record)
        folder = self.root / version
        booster = lgb.Booster(model_file=str(folder / "model.txt"))
        revenue = None
        if (folder / "revenue.txt").is_file():
            revenue = lgb.Booster(model_file=str(folder / "revenue.txt"))
        meta = record.metadata
        return RiskModel(booster, stored, {k: list(v) for k, v in meta["categories"].items()},
                         float(meta["prior"]), revenue, {"version": version, **meta["training"]})
