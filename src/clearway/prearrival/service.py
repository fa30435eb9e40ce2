"""Use cases of prearrival (being built)."""
