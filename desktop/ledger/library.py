"""What the ledger needs of the library, as a typed protocol: the parts it reads and writes (desktop.store's Library
has them). The part classes are imported for the type checker only; import-linter still sees the ledger lean on them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from desktop.store.repo_annotations import AnnotationStore
    from desktop.store.repo_base import Db
    from desktop.store.repo_checks import CheckStore
    from desktop.store.repo_items import ItemStore
    from desktop.store.repo_ledger import LedgerStore
    from desktop.store.repo_letters import LetterStore
    from desktop.store.repo_remove import RemovalStore
    from desktop.store.repo_scores import ScoreStore
    from desktop.store.repo_units import UnitStore
    from desktop.store.reports import ReportStore


class LedgerLibrary(Protocol):
    """Reports, items, annotations and scores for the export (with review's stored checks and follow-up's
    cross-year tables); ledger rounds, rectifications and units for the read-back; the library's id."""

    def library_id(self) -> str: ...
    @property
    def db(self) -> Db: ...
    @property
    def default_who(self) -> str: ...
    @property
    def reports(self) -> ReportStore: ...
    @property
    def items(self) -> ItemStore: ...
    @property
    def annotations(self) -> AnnotationStore: ...
    @property
    def checks(self) -> CheckStore: ...
    @property
    def scores(self) -> ScoreStore: ...
    @property
    def ledger(self) -> LedgerStore: ...
    @property
    def letters(self) -> LetterStore: ...
    @property
    def removal(self) -> RemovalStore: ...
    @property
    def units(self) -> UnitStore: ...
