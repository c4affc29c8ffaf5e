"""The review library: SQLite connection, migrations and the repository (the only module with SQL)."""
