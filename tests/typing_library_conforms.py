"""Checked by mypy in tests/test_typing.py (not a test module): the store's Library has what every service needs."""
from __future__ import annotations

from desktop.followup.library import FollowupLibrary
from desktop.ledger.library import LedgerLibrary
from desktop.letters.library import LettersLibrary
from desktop.review.library import ReviewLibrary
from desktop.season.library import SeasonLibrary
from desktop.store.library import Library


def services_accept(lib: Library) -> tuple[ReviewLibrary, FollowupLibrary, LedgerLibrary, LettersLibrary,
                                           SeasonLibrary]:
    """Each assignment is a structural check: a part or method missing from Library (or with another type) fails."""
    return lib, lib, lib, lib, lib
