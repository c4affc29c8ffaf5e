"""PySide6 review desk; the only package that imports Qt."""
