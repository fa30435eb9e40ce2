"""Rotation of sensitive posts: the maximum tenure on a post, the roster's warnings and
refusals, exceptions approved by a second supervisor, and the yearly share of officers
rotated (docs/integrity-prevention.md)."""
