"""What review needs of the library, as typed protocols (review sits beside the store and never imports it).

desktop.store.library.Library satisfies `ReviewLibrary` structurally: its `reports`, `checks` and `scores` parts
have these methods (tests/test_typing.py checks that with mypy). A service declaring `lib: ReviewLibrary` can use
only what is listed here, and mypy checks every call."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Protocol

from desktop.report.model import Reading


class ScoreRecord(Protocol):
    """One reviewer's stored score of one criterion (desktop.store.records.RubricScoreRecord, a frozen dataclass)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]  # scores_of makes the team's record with dataclasses.replace

    @property
    def report_id(self) -> int: ...
    @property
    def criterion_id(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def comment(self) -> str | None: ...
    @property
    def reviewer(self) -> str | None: ...


class ReportReader(Protocol):
    """The reports part, as review reads it."""

    def reading(self, report_id: int) -> Reading: ...


class CheckCache(Protocol):
    """The stored results of the checks, per reading and rubric."""

    def check_stamp(self, report_id: int) -> str: ...
    def stored_check_result(self, report_id: int, rubric_hash: str) -> tuple[str, list[dict]] | None: ...
    def save_check_result(self, report_id: int, rubric_hash: str, stamp: str, findings: list[dict]) -> None: ...
    def stale_check_reports(self, rubric_hash: str) -> list[int]: ...


class ScoreBook(Protocol):
    """The reviewers' rubric scores."""

    def rubric_scores(self, report_id: int, reviewer: str | None = None) -> Sequence[ScoreRecord]: ...
    def all_rubric_scores(self, report_ids: Iterable[int] | None = None) -> Sequence[ScoreRecord]: ...
    def set_rubric_score(self, report_id: int, criterion_id: str, score: float | None, comment: str | None = None,
                         who: str | None = None) -> ScoreRecord: ...


class ReviewLibrary(Protocol):
    """The parts of the library review's services use: readings, stored check results, scores."""

    @property
    def reports(self) -> ReportReader: ...
    @property
    def checks(self) -> CheckCache: ...
    @property
    def scores(self) -> ScoreBook: ...
