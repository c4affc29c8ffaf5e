"""What follow-up needs of the library, as a typed protocol: the parts it reads (the store's Library has them).

The part classes are imported for the type checker only (no import cost at run time); import-linter still sees
that follow-up leans on these parts of the store."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from desktop.store.repo_base import Db
    from desktop.store.repo_items import ItemStore
    from desktop.store.reports import ReportStore


class FollowupLibrary(Protocol):
    """Reports and their readings, work items and indicators; `db` and `default_who` for the stored decisions
    (desktop.store.followup_repo)."""

    @property
    def db(self) -> Db: ...
    @property
    def default_who(self) -> str: ...
    @property
    def reports(self) -> ReportStore: ...
    @property
    def items(self) -> ItemStore: ...
