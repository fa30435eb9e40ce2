"""Use cases of privacy (being built)."""
