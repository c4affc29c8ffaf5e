"""Closing the loop across years: last year's plans against this year's report, and indicators over time (no Qt)."""
