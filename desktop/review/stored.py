"""A Reading rebuilt from stored records, so checks can run on a library's report (the converter is report.rebuild)."""
from __future__ import annotations

from desktop.report.rebuild import reading_from_records

__all__ = ["reading_from_records"]
