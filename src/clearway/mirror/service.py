"""Use cases of mirror (being built)."""
