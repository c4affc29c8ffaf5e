"""Follow-up of last year's plans against this year's report (跨年对照): Qt-free, below ledger and letters."""
