"""Library part for annotations, tags, rubric scores, search and history (SQL lives in desktop/store only)."""
from __future__ import annotations

from desktop.store import convert
from desktop.store.convert import dumps, loads
from desktop.store.merge import CREATED, new_gid
from desktop.store.records import (
    ANNOTATION_STATUSES,
    TARGET_KINDS,
    AnnotationRecord,
    HistoryRecord,
    RubricScoreRecord,
    SearchHit,
)
from desktop.store.repo_base import REVIEWED_STATUSES, Part, now_iso


# A section path as printed (一.（八）, 一．(八)) is the stored path 一.(八).
_PATH_FORMS = str.maketrans({"（": "(", "）": ")", "．": ".", "。": ".", "\u3000": ""})


class AnnotationStore(Part):
    """Annotations, tags, rubric scores, search and history."""

    # ---------------------------------------------------------------- annotations
    def _annotation_row(self, annotation_id: int) -> dict:
        row = self.db.row("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {annotation_id} 的批注")
        return row

    def get_annotation(self, annotation_id: int) -> AnnotationRecord:
        return convert.annotation_record(self._annotation_row(annotation_id))

    def add_annotation(self, report_id: int, *, target_kind: str, body: str, target_id=None, section_path=None,
                       start=None, end=None, tags=(), score=None, status="待审", reviewer=None) -> AnnotationRecord:
        """A reviewer's note on a report, section, work item, indicator or text span. Undo: delete_annotation."""
        report = self.lib.reports.report_row(report_id)
        reviewer = reviewer or self.db.default_who  # the list names who wrote it: the configured name or 未署名
        anchor = self._resolve_target(report, target_kind, target_id, section_path, start, end)
        tags = self._clean_tags(tags)
        self._check_annotation(body, status, score)
        now = now_iso()
        with self.db.tx():
            self.ensure_tags(tags, reviewer)
            cur = self.db.execute(
                'INSERT INTO annotations (report_id, target_kind, target_id, section_path, start, "end", quote,'
                " body, tags, score, status, reviewer, created_at, updated_at, deleted, anchor, gid, stamps)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'ok', ?, ?)",
                (report_id, target_kind, anchor["target_id"], anchor["section_path"], anchor["start"],
                 anchor["end"], anchor["quote"], body.strip(), dumps(list(tags)),
                 None if score is None else float(score), status, reviewer, now, now, new_gid(),
                 self.db.stamps_after({}, [CREATED], reviewer)))
            ann_id = cur.lastrowid
            self.db.log("annotation", ann_id, "insert", "body", None, body.strip(), report_id, reviewer)
        return self.get_annotation(ann_id)

    def _resolve_target(self, report: dict, kind, target_id, section_path, start, end) -> dict:
        if kind not in TARGET_KINDS:
            raise ValueError(f"批注对象类型无效：{kind}（应为 {'、'.join(TARGET_KINDS)}）")
        out = {"target_id": None, "section_path": section_path, "start": None, "end": None, "quote": None}
        text = report["clean_text"]
        if kind == "span":
            if start is None or end is None or not 0 <= int(start) < int(end) <= len(text):
                raise ValueError(f"文字范围 {start}:{end} 无效（全文共 {len(text)} 字）")
            start, end = int(start), int(end)
            out.update(start=start, end=end, quote=text[start:end],
                       section_path=section_path or self.lib.items.section_at(report["id"], start))
        elif kind == "section":
            path = str(section_path or "").translate(_PATH_FORMS).replace(" ", "")
            row = self.db.row('SELECT path, title, start, "end" FROM sections WHERE report_id = ? AND path = ?',
                            (report["id"], path))
            if row is None:
                paths = [r["path"] for r in self.db.rows("SELECT path FROM sections WHERE report_id = ? ORDER BY position",
                                                       (report["id"],))]
                listed = "、".join(paths[:40]) + (f" 等 {len(paths)} 个" if len(paths) > 40 else "")
                raise ValueError(f"报告中没有章节“{section_path}”；可用的章节：{listed or '（该报告没有章节）'}")
            out.update(start=row["start"], end=row["end"], quote=row["title"], section_path=path)
        elif kind in ("work_item", "indicator"):
            table = "work_items" if kind == "work_item" else "indicators"
            row = self.db.row(f'SELECT id, report_id, section_path, text, start, "end" FROM {table} WHERE id = ?',
                            (target_id,))
            if row is None or row["report_id"] != report["id"]:
                what = "工作事项" if kind == "work_item" else "指标"
                raise ValueError(f"该报告中没有编号为 {target_id} 的{what}")
            out.update(target_id=row["id"], section_path=row["section_path"], start=row["start"], end=row["end"],
                       quote=row["text"])
        return out

    @staticmethod
    def _check_annotation(body, status, score) -> None:
        if not body or not str(body).strip():
            raise ValueError("批注内容不能为空")
        if status not in ANNOTATION_STATUSES:
            raise ValueError(f"批注状态无效：{status}（应为 {'、'.join(ANNOTATION_STATUSES)}）")
        if score is not None:
            try:
                float(score)
            except (TypeError, ValueError):
                raise ValueError(f"评分必须是数字：{score}") from None

    @staticmethod
    def _clean_tags(tags) -> tuple[str, ...]:
        if isinstance(tags, str):
            tags = (tags,)
        out: list[str] = []
        for tag in tags or ():
            tag = str(tag).strip()
            if tag and tag not in out:
                out.append(tag)
        return tuple(out)

    def update_annotation(self, annotation_id: int, changes: dict, who=None) -> AnnotationRecord:
        """Edit body, tags, score, status, reviewer, or re-anchor a span (start/end). Undo: old values again."""
        bad = set(changes) - convert.ANNOTATION_EDITABLE
        if bad:
            raise ValueError(f"批注不能修改这些字段：{'、'.join(sorted(bad))}")
        row = self._annotation_row(annotation_id)
        changes = dict(changes)
        if "tags" in changes:
            changes["tags"] = dumps(list(self._clean_tags(changes["tags"])))
        if "body" in changes:
            changes["body"] = str(changes["body"]).strip()
        if "score" in changes and changes["score"] is not None:
            changes["score"] = float(changes["score"])
        self._check_annotation(changes.get("body", row["body"]), changes.get("status", row["status"]),
                               changes.get("score"))
        if "start" in changes or "end" in changes:
            if row["target_kind"] != "span":
                raise ValueError("只有文字批注可以修改文字范围")
            report = self.lib.reports.report_row(row["report_id"])
            anchor = self._resolve_target(report, "span", None, None, changes.get("start", row["start"]),
                                          changes.get("end", row["end"]))
            changes.update(start=anchor["start"], end=anchor["end"], quote=anchor["quote"],
                           section_path=anchor["section_path"], anchor="ok")
        with self.db.tx():
            if "tags" in changes:
                self.ensure_tags(loads(changes["tags"], []), who)
            before = self.db.conn.total_changes
            self.db.update_row("annotations", "annotation", row, changes, who)
            if self.db.conn.total_changes != before:
                self.db.execute("UPDATE annotations SET updated_at = ? WHERE id = ?", (now_iso(), annotation_id))
        return self.get_annotation(annotation_id)

    def delete_annotation(self, annotation_id: int, who=None) -> AnnotationRecord:
        """Soft delete. Undo: restore_annotation(id)."""
        self.db.set_deleted("annotations", "annotation", self._annotation_row(annotation_id), True, who)
        return self.get_annotation(annotation_id)

    def restore_annotation(self, annotation_id: int, who=None) -> AnnotationRecord:
        """Undo of delete_annotation."""
        self.db.set_deleted("annotations", "annotation", self._annotation_row(annotation_id), False, who)
        return self.get_annotation(annotation_id)

    def annotations(self, report_id=None, *, section_path=None, include_deleted=False) -> list[AnnotationRecord]:
        where, params = self.db.where(report_id, include_deleted,
                                    ("section_path = ?", section_path) if section_path else None)
        return [convert.annotation_record(r) for r in self.db.rows(
            f"SELECT * FROM annotations {where} ORDER BY report_id, start IS NULL, start, id", params)]

    def section_states(self, report_id: int) -> dict[str, str]:
        """Section path -> unreviewed | annotated | reviewed (an annotation with status 已审 or 已销号)."""
        states = {r["path"]: "unreviewed" for r in
                  self.db.rows("SELECT path FROM sections WHERE report_id = ? ORDER BY position", (report_id,))}
        for r in self.db.rows("SELECT section_path, status FROM annotations WHERE report_id = ? AND deleted = 0"
                            " AND section_path IS NOT NULL", (report_id,)):
            path = r["section_path"]
            if path not in states:
                continue
            if r["status"] in REVIEWED_STATUSES:
                states[path] = "reviewed"
            elif states[path] == "unreviewed":
                states[path] = "annotated"
        return states

    # ---------------------------------------------------------------- tags and rubric
    def tags(self) -> list[str]:
        return [r["name"] for r in self.db.rows("SELECT name FROM tags ORDER BY id")]

    def add_tag(self, name: str, who=None) -> str:
        name = str(name).strip()
        if not name:
            raise ValueError("标签不能为空")
        with self.db.tx():
            self.ensure_tags((name,), who)
        return name

    def ensure_tags(self, names, who) -> None:
        for name in names:
            cur = self.db.execute("INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)", (name, now_iso()))
            if cur.rowcount:
                self.db.log("tag", cur.lastrowid, "insert", "name", None, name, None, who)

    # ---------------------------------------------------------------- search and history
    def search(self, text: str, limit: int = 200) -> list[SearchHit]:
        """Every occurrence of `text` in report texts, then annotation bodies (plain substring: 1-2 字 work)."""
        text = (text or "").strip()
        if not text:
            return []
        hits: list[SearchHit] = []
        for r in self.db.rows("SELECT id, title, file_name, clean_text FROM reports WHERE instr(clean_text, ?) > 0"
                            " ORDER BY id", (text,)):
            body, pos = r["clean_text"], r["clean_text"].find(text)
            while pos != -1 and len(hits) < limit:
                snippet = body[max(0, pos - 20): pos + len(text) + 20].replace("\n", " ")
                hits.append(SearchHit(r["id"], "text", pos, pos + len(text), snippet, None,
                                      r["title"] or r["file_name"]))
                pos = body.find(text, pos + len(text))
        for r in self.db.rows("SELECT a.id, a.report_id, a.start, a.\"end\", a.body, r.title, r.file_name"
                            " FROM annotations a JOIN reports r ON r.id = a.report_id"
                            " WHERE a.deleted = 0 AND instr(a.body, ?) > 0 ORDER BY a.id", (text,)):
            if len(hits) >= limit:
                break
            hits.append(SearchHit(r["report_id"], "annotation", r["start"], r["end"], r["body"][:80], r["id"],
                                  r["title"] or r["file_name"]))
        return hits[:limit]

    def history(self, report_id=None, limit=None) -> list[HistoryRecord]:
        """Every recorded change, newest first."""
        sql, params = "SELECT * FROM history", []
        if report_id is not None:
            sql += " WHERE report_id = ?"
            params.append(report_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [convert.history_record(r) for r in self.db.rows(sql, params)]
