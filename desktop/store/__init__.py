"""The review library: `open_library` (db.py) gives a `Library` (library.py): part stores over one `Db`; all SQL."""
import sys as _sys


def _sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas and numpy hidden from it.

    sqlite-utils imports pandas and numpy at import time whenever they are installed, only to map their
    scalar types to column types when a DataFrame's values are inserted — which this program never does. That
    import cost every CLI command and the desk's start about a second (issue 27). When pandas is already loaded
    (a benchmark) nothing is hidden.
    """
    if "sqlite_utils" in _sys.modules or "pandas" in _sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in _sys.modules]
    for name in hidden:
        _sys.modules[name] = None  # makes `import pandas` raise ImportError, which sqlite-utils tolerates
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            if _sys.modules.get(name, 0) is None:
                del _sys.modules[name]


_sqlite_utils_without_pandas()
