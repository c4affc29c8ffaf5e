"""The review season: many units' reports in one library — batch import, the library overview, the comparison workbook."""
