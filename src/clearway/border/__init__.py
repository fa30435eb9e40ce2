"""Integrated border management: crossing points, the booth record's border part, the shared
watch lists and their alerts (docs/border.md)."""
