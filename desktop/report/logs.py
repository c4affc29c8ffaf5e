"""Where third-party libraries' warnings go: the log file, never the terminal (the CLI prints one line per failure)."""
from __future__ import annotations

import logging
from pathlib import Path

THIRD_PARTY = ("pypdf", "openpyxl", "docx", "charset_normalizer", "fontTools", "PIL")
OURS = ("desktop.report", "desktop.ledger", "desktop.store")  # details behind a one-line refusal
APP_NAME = "fazhi-review"
DATA_DIR_ENV = "FAZHI_DATA_DIR"  # overrides the user data folder (the tests point it at a temporary folder)


def data_folder() -> Path:
    """The user data folder (library, backups, logs): $FAZHI_DATA_DIR when set, else platformdirs' folder."""
    import os

    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def route_third_party(handler: logging.Handler) -> None:
    """Send the libraries' loggers and `warnings.warn` to `handler`, and stop them reaching stderr."""
    logging.captureWarnings(True)
    for name in (*THIRD_PARTY, *OURS, "py.warnings"):
        logger = logging.getLogger(name)
        if handler not in logger.handlers:
            logger.addHandler(handler)
        logger.propagate = False  # no root handler, no "last resort" printing to stderr


def log_to_file(path: Path) -> logging.Handler:
    """A handler writing to `path`, opened only when something is logged; a null handler if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
