"""Operations: liveness and readiness probes, request IDs, structured and redacted logs,
Prometheus metrics (docs/operations.md, "Health, logs and metrics")."""
