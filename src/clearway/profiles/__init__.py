"""Risk profiles (common risk criteria): see docs/profiles.md.

The engine runs `ProfileSet(repository.active_profiles(session)).hits(frame)`.
"""
