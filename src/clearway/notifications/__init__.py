"""Notifications to traders: life-cycle messages in the format they filed in."""
