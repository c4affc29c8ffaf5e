"""The Excel kit: safe cell text and sizes, shared styles, and fast SpreadsheetML rows (ledger, season, CLI)."""
