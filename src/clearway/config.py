"""Typed settings from the environment (prefix CLEARWAY_)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEARWAY_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "staging", "production"] = "development"
    database_url: str = "sqlite:///var/clearway.db"
    # SQLite only: NORMAL keeps every answered commit through a process crash; FULL also
    # through power loss or an OS crash (one fsync per commit). PostgreSQL: its own settings.
    sqlite_synchronous: Literal["NORMAL", "FULL", "EXTRA"] = "NORMAL"
    # Signs console sessions and audit checkpoints. Must be set outside development.
    secret_key: str = DEVELOPMENT_SECRET
    # Country code used in MRNs issued by this administration (EU format, DE 2/5 style).
    country_code: str = "RS"
    # Where `refdata load` takes its files when no directory is given (None: packaged data).
    refdata_dir: str | None = None
    # Console/API base URL printed by `make demo`.
    public_url: str = "http://127.0.0.1:8000"
    webhook_timeout_seconds: float = 5.0
    webhook_max_backoff_seconds: int = 3600
    # Webhooks (docs/operations.md, "Webhooks"): receivers on loopback, private, link-local,
    # metadata... addresses are refused unless listed here (comma-separated CIDRs such as
    # "10.20.0.7/32", and host names); traders POSTed to at once; the circuit breaker.
    webhook_allowed_networks: str = ""
    webhook_allowed_hosts: str = ""
    # Ports a receiver not on the allow-list may use (comma-separated).
    webhook_allowed_ports: str = "80,443,8080,8443"
    webhook_concurrency: int = Field(8, ge=1, le=64)
    webhook_breaker_failures: int = Field(5, ge=1)
    webhook_breaker_cooldown_seconds: float = Field(300.0, gt=0.0)
    token_ttl_days: int = 365
    # How long a verified token is trusted without a database read; a revocation takes
    # effect within this time. 0 disables the cache.
    token_cache_seconds: float = 2.0
    # Failed sign-in throttling (clearway.users.throttle): after this many failed token checks
    # from one client address within the window, it gets 429 CW-THROTTLED. 0 disables.
    signin_max_failures: int = Field(10, ge=0)
    signin_window_seconds: float = Field(300.0, ge=0.0)
    # Mounts /bench/bare-insert, the storage-ceiling endpoint of benchmarks/ingest.py.
    # Never enable in production: it stores without validation, audit or permission.
    bench_endpoints: bool = False
    # Document codes whose references must be found in the licence register (comma-separated,
    # e.g. "X002,C640"); unset: the default set of clearway.licences.model (docs/licences.md).
    licence_managed_codes: str | None = None
    # Risk engine (docs/risk-engine.md): share of declarations selected at random for control,
    # whether green/blue decisions release the goods at once, where the model registry lives,
    # and how often a process checks whether profiles, lists or the model changed.
    random_share: float = Field(0.02, ge=0.0, le=1.0)
    # Expected value at which a declaration goes red / yellow / blue when capacity allows,
    # and the AEO mitigation factors (docs/risk-engine.md, "Selectivity").
    red_at: float = Field(0.8, gt=0.0)
    yellow_at: float = Field(0.5, gt=0.0)
    blue_at: float = Field(0.3, gt=0.0)
    aeoc_factor: float = Field(0.5, ge=0.0, le=1.0)
    aeos_factor: float = Field(0.5, ge=0.0, le=1.0)
    auto_release: bool = True
    model_dir: str = "var/models"
    risk_recheck_seconds: float = 2.0
    # ENS safety and security rules (TOML, docs/ens.md); None: the example shipped with Clearway.
    ens_rules_file: str | None = None
    # Four-eyes (docs/four-eyes.md): share of approved overrides that leave less control than
    # selected (lower channel, waiver) sent to a post-clearance audit (blue) to learn the outcome.
    override_audit_share: float = Field(0.5, ge=0.0, le=1.0)
    # Audit trail (docs/audit.md): a signed checkpoint every N entries (0: only by command);
    # the Ed25519 signing key as a PEM file (None: derived from secret_key with HKDF); a PEM
    # file of retired public keys whose checkpoints still verify after a key rotation.
    audit_checkpoint_every: int = Field(1000, ge=0)
    audit_signing_key_file: str | None = None
    audit_trusted_keys_file: str | None = None
    # Where each signed checkpoint is also written, outside the database, so that a cut tail
    # or a deleted checkpoint shows (docs/audit.md, "Witness"): an append-only file (None:
    # beside a SQLite database, `<db>.audit-witness`; "off": none) and optionally a URL
    # that receives each record as a JSON POST (a partner administration, a log service).
    audit_witness_file: str | None = None
    audit_witness_url: str | None = None
    # The running server signs and witnesses the chain's head every N seconds when it moved
    # (0: only checkpoints and `clearway audit witness`): entries since the last witnessed
    # head are the only ones a cut could still hide.
    audit_witness_seconds: float = Field(60.0, ge=0.0)
    # Integrity indicators (docs/integrity.md): |z| at which an officer's hit or override
    # rate is flagged against peers, the fewest controls before flagging, and how many
    # "closed regular, later found irregular" controls flag an officer.
    integrity_z_threshold: float = Field(3.0, gt=0.0)
    integrity_min_controls: int = Field(20, ge=1)
    integrity_missed_threshold: int = Field(2, ge=1)
    # Controls (docs/controls.md): the largest evidence file an officer may attach to a task.
    evidence_max_bytes: int = Field(20 * 1024 * 1024, ge=1)
    # Largest declaration body (bytes) the API and console read (413 CW-SYN-SIZE above it,
    # before reading; docs/api.md "Limits at the boundary"); at most the readers' own limit.
    document_max_bytes: int = Field(5 * 1024 * 1024, ge=1024, le=5 * 1024 * 1024)
    # Exchange with partner administrations (issue 16): this administration's Ed25519 signing
    # key as a PEM file (None: derived from secret_key with HKDF, a key of its own, not the
    # audit key); how far a message's creation time may lie from the receiver's clock; the
    # outbox's retry backoff (doubling from base up to max) and how long a delivery worker
    # holds a claimed message before another may take it.
    exchange_key_file: str | None = None
    exchange_window_seconds: float = Field(300.0, gt=0.0)
    exchange_retry_base_seconds: float = Field(5.0, gt=0.0)
    exchange_retry_max_seconds: float = Field(3600.0, gt=0.0)
    exchange_lease_seconds: float = Field(60.0, gt=0.0)
    # Keys of the keyed pseudonyms of natural persons, shared per agreement with the partner
    # (a YAML file kept beside the exchange key, never in the database; docs/exchange.md).
    # None: no key, so no natural person's identity leaves in any form.
    pseudonym_keys_file: str | None = None
    # Operations (docs/operations.md, "Health, logs and metrics"): log lines as JSON or text
    # (None: JSON in staging/production, text elsewhere), the log level, and whether
    # GET /metrics answers without a token (else it needs the kpis:read permission).
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_public: bool = False

    @model_validator(mode="after")
    def _ordered_thresholds(self) -> Settings:
        if not self.blue_at <= self.yellow_at <= self.red_at:
            raise ValueError("selectivity thresholds must satisfy blue_at <= yellow_at <= red_at")
        return self

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        deployed = self.environment in ("staging", "production")
        if deployed and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("CLEARWAY_SECRET_KEY must be set outside development and tests")
        if deployed and len(self.secret_key) < 32:
            raise ValueError("CLEARWAY_SECRET_KEY must be at least 32 characters")
        if deployed and self.bench_endpoints:
            raise ValueError("CLEARWAY_BENCH_ENDPOINTS must not be enabled in production")
        if len(self.country_code) != 2 or not self.country_code.isalpha():
            raise ValueError("CLEARWAY_COUNTRY_CODE must be two letters")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
