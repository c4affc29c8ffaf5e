"""Opinion letters (审阅意见书) to the units, in the format of an official document (no Qt, no SQL).

API:
    from desktop.letters.draft import draft_letter, LetterDraft, LetterItem
        draft_letter(repo, report_id, rubric=None, findings=None, today=None, office=None) -> LetterDraft
        draft.items: LetterItem(key, section overall|problems|suggestions, kind, text, quote, where, include)
        draft.move(key, -1|+1); draft.section_items(section)
    from desktop.letters.render import render_letter, write_letter, LetterError
        render_letter(draft, template=None) -> bytes   # the shipped template, or an office's .docx
    from desktop.letters.service import write_letters, set_office, output_paths
"""
