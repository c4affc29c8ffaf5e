"""A team's shared library on PostgreSQL: the server schema and roles, and sync of a local library with it.

The only package that imports psycopg. The local SQLite library stays the working copy (offline first); the
server keeps the team's review records append-only, each stamped with the reviewer who pushed it. The records are
the bundle's (desktop.store.team_records, validated by team_schema) and merge with the same rules (merge_state).
"""
