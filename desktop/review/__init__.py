"""Review rubric and automatic checks of a reading (no Qt, no SQL).

API for the 审阅检查 panel and the CLI:
    from desktop.review.rubric import load_rubric, weighted_total, RubricError
        load_rubric(path=None) -> Rubric        bundled desktop/review/rubric.toml, or an office's TOML/JSON
        rubric.criteria: Criterion(id, name, description, weight, scale, checks); scale.choices() for a combo box
        weighted_total(rubric, scores) -> float 0–100 (unscored criteria count as 0)
    from desktop.review.checks import run_checks, CHECK_IDS
        run_checks(reading, rubric=None) -> list[Finding]
        Finding(check, title, result pass|warn|fail|unknown, explanation, criteria, evidence, data)
        Evidence(start, end, quote, note): reading.clean_text[start:end] == quote
    from desktop.review.service import check_stored, scores_of, set_score, total_of
        set_score(repo, report_id, criterion_id, value, comment=None, who=None) validates against the scale
    (the 审阅评分 sheet of the ledger workbook is written by desktop.ledger.review_sheet)
"""
