"""Use cases of assistance (being built)."""
