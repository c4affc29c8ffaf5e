"""Where third-party libraries' warnings go: the log file, never the terminal (the CLI prints one line per failure)."""
from __future__ import annotations

import logging
from pathlib import Path

THIRD_PARTY = ("pypdf", "openpyxl", "docx", "charset_normalizer", "fontTools", "PIL")
OURS = ("desktop.report", "desktop.ledger", "desktop.store", "desktop.kernel", "desktop.excel")  # details behind a one-line refusal


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
