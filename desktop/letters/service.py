"""Letters over a review library: draft, render and write one .docx per report (the CLI and the desk call this)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from desktop.letters.draft import OFFICE_SETTING, LetterDraft, draft_letter
from desktop.letters.render import LetterError, write_letter

_BAD_NAME = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


@dataclass(frozen=True)
class LetterSummary:
    paths: tuple[str, ...]
    reports: int
    opinions: int  # numbered opinions printed, over all letters


def file_name(draft: LetterDraft) -> str:
    """审阅意见-<report title>.docx, safe on Windows and not too long."""
    stem = _BAD_NAME.sub("_", draft.report_title).strip(" .") or f"报告{draft.report_id}"
    return f"审阅意见-{stem[:60]}.docx"


def set_office(repo, name: str, who=None) -> str | None:
    """The office that signs the letters: a setting of the library."""
    return repo.letters.set_library_setting(OFFICE_SETTING, name, who)


def drafts_for(repo, reports, **kw) -> list[LetterDraft]:
    return [draft_letter(repo, r.id, **kw) for r in reports]


def output_paths(drafts, output) -> list[Path]:
    """-o FILE.docx for one report; -o DIR (existing folder, or a name without .docx) for one file per report."""
    out = Path(output)
    if out.suffix.lower() == ".docx" and not out.is_dir():
        if len(drafts) > 1:
            raise LetterError("导出多份报告的审阅意见时，-o 应为文件夹", path=output)
        return [out]
    if out.exists() and not out.is_dir():
        raise LetterError("已存在同名文件；审阅意见书文件名须以 .docx 结尾", path=output)
    if not out.parent.is_dir():  # a mistyped path is refused, never created (as desktop.kernel.outfiles does)
        raise LetterError("保存位置的文件夹不存在", path=output)
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        raise LetterError(f"无法创建文件夹（{exc.strerror or exc}）", path=output) from None
    paths, used = [], set()
    for d in drafts:
        name = file_name(d)
        if name in used:
            name = name[:-5] + f"-{d.report_id}.docx"
        used.add(name)
        paths.append(out / name)
    return paths


def write_letters(drafts, output, *, template=None, progress=None, cancel=None) -> LetterSummary:
    """Write each draft as it stands (the reviewer may have edited it) to FILE.docx or into DIR."""
    paths = output_paths(drafts, output)
    written = []
    for n, (draft, path) in enumerate(zip(drafts, paths), 1):
        if cancel is not None and cancel():
            break
        write_letter(draft, path, template)
        written.append(str(path))
        if progress is not None:
            progress(n, len(drafts))
    opinions = sum(sum(1 for i in d.items if i.include) for d in drafts[: len(written)])
    return LetterSummary(tuple(written), len(written), opinions)
