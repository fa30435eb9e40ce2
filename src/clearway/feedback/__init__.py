"""Feedback: what controls find flows back into profiles, the label store, trader records,
the model and the KPIs (issue 4, item 4)."""
