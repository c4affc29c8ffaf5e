"""What opinion letters need of the library, as a typed protocol (desktop.store's Library has it): the report, its
sections, annotations, scores and stored checks, follow-up decisions, and the library's settings (the office's
name). The part classes are imported for the type checker only; import-linter still sees letters lean on them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from desktop.store.repo_annotations import AnnotationStore
    from desktop.store.repo_base import Db
    from desktop.store.repo_checks import CheckStore
    from desktop.store.repo_items import ItemStore
    from desktop.store.repo_letters import LetterStore
    from desktop.store.repo_scores import ScoreStore
    from desktop.store.reports import ReportStore


class LettersLibrary(Protocol):
    """The parts a letter is drafted from (review's scores and checks, follow-up's decisions included)."""

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
    def letters(self) -> LetterStore: ...
