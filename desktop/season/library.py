"""What the season needs of the library, as a typed protocol (desktop.store's Library has it): batch import into
the reports part, the overview's rows, scores and stored checks, assignments, the sample report. The part classes
are imported for the type checker only; import-linter still sees the season lean on them."""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from desktop.store.repo_base import Db
    from desktop.store.repo_checks import CheckStore
    from desktop.store.repo_remove import RemovalStore
    from desktop.store.repo_scores import ScoreStore
    from desktop.store.repo_season import OverviewStore
    from desktop.store.repo_team import TeamStore
    from desktop.store.reports import ReportStore


class SeasonLibrary(Protocol):
    """The parts the batch import, the overview and the comparison workbook use (review's checks and scores too)."""

    def bulk(self, cache_mb: int = ...) -> AbstractContextManager[Any]: ...
    @property
    def db(self) -> Db: ...
    @property
    def reports(self) -> ReportStore: ...
    @property
    def checks(self) -> CheckStore: ...
    @property
    def scores(self) -> ScoreStore: ...
    @property
    def overview(self) -> OverviewStore: ...
    @property
    def removal(self) -> RemovalStore: ...
    @property
    def team(self) -> TeamStore: ...
