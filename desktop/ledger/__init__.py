"""Excel tracking ledger (台账): export and read back."""
