"""Review rubric and automatic checks of a reading."""
