"""Clearway: customs clearance and risk management."""
