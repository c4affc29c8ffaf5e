"""Migration 0005's data step, frozen: identity and units for the reports already there, texts stored once.

A copy of what the library did when 0005 was written (store/identity.py's guesses, the season part's unit
lookup, repo_season's text packing) so that later changes to that live code never change how an old library is
migrated. Do not import the live parts here, and do not edit this to follow them."""
from __future__ import annotations

import json
import re
import zlib
from datetime import datetime

from sqlite_utils import Database

IDENTITY_FIELDS = ("title", "issuer", "level", "region", "report_year", "plan_year", "published", "report_type")
DOC_KIND_TYPES = {"annual_report": "年度报告", "work_plan": "工作要点"}
ANONYMOUS = {"", "我局", "本局", "我委", "本委", "我办", "本办", "我厅", "本厅", "我市", "本市", "我区", "本区",
             "我县", "本县", "发布单位不详", "不详", "未知"}
PLACE = re.compile(r"^((?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区))?"
                   r"(?:[\u4e00-\u9fff]{1,7}?(?:自治州|地区|盟|市))?"
                   r"(?:[\u4e00-\u9fff]{1,7}?(?:自治县|县|区|旗))?)")
BARE = re.compile(r"^(省|市|区|县|州|旗)(?=[\u4e00-\u9fff])")
GOVERNMENT = re.compile(r"(人民政府|政府)(办公厅|办公室)?$")
DEPARTMENT = re.compile(r"(厅|局|委员会|委|办公室|办|署|中心|院|会|处|队|所|站)$")
TITLE_UNIT = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,40}?)(?:关于)?(?:\d{4}|二[〇零○]..)\s*年")
NOT_PLACE_HEADS = ("中共", "中国", "全国", "国家")
ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def dumps(value) -> str:
    return ENCODER.encode(value)


def loads(value, default):
    return default if value in (None, "") else json.loads(value)


def place_of(name: str) -> str:
    if name.startswith(NOT_PLACE_HEADS):
        return ""
    m = PLACE.match(name)
    place = m.group(1) if m else ""
    return place if place and len(place) < len(name) and not place.endswith(("市场", "区域")) else ""


def unit_from_title(title: str | None) -> str | None:
    m = TITLE_UNIT.match(title or "")
    return m.group(1) if m else None


def named_issuer(issuer: str | None, title: str | None) -> str | None:
    issuer = (issuer or "").strip()
    if issuer in ANONYMOUS:
        return unit_from_title(title)
    return issuer


def guess_region(issuer: str | None, title: str | None = None) -> str | None:
    for name in (named_issuer(issuer, title), unit_from_title(title)):
        place = place_of(name or "")
        if place:
            return place
    return None


def guess_level(issuer: str | None, title: str | None = None) -> str:
    name = named_issuer(issuer, title) or ""
    if not name:
        return "其他"
    if GOVERNMENT.search(name) and not GOVERNMENT.search(name).group(2):
        place = place_of(name) or name
        if re.search(r"(省|自治区)$", place):
            return "省"
        if re.search(r"(市|自治州|地区|盟)$", place):
            return "市"
        if re.search(r"(县|区|旗)$", place):
            return "县区"
        return "其他"
    if DEPARTMENT.search(name):
        return "部门"
    return "其他"


def unit_name(issuer: str | None, region: str | None, title: str | None = None) -> str | None:
    name = named_issuer(issuer, title)
    if not name:
        return None
    bare = BARE.match(name)
    if bare and region and region.endswith(bare.group(1)):
        return region + name[1:]
    return name


def parser_identity(doc_kind: str, title, issuer, report_year, plan_year, published) -> dict:
    region = guess_region(issuer, title)
    return {"title": title, "issuer": named_issuer(issuer, title) or issuer, "level": guess_level(issuer, title),
            "region": region, "report_year": report_year, "plan_year": plan_year, "published": published,
            "report_type": DOC_KIND_TYPES.get(doc_kind, "其他")}


def rows(db: Database, sql: str, params=()) -> list[dict]:
    cur = db.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def final_unit(db: Database, unit_id: int) -> int:
    seen = set()
    while unit_id not in seen:
        seen.add(unit_id)
        found = rows(db, "SELECT merged_into FROM units WHERE id = ?", (unit_id,))
        if not found or found[0]["merged_into"] is None:
            return unit_id
        unit_id = found[0]["merged_into"]
    return unit_id


def resolve_unit(db: Database, issuer, region, level, title=None) -> int | None:
    name = unit_name(issuer, region, title)
    if not name:
        return None
    for alias, where in ((issuer or name, region or ""), (name, region or ""), (name, "")):
        found = rows(db, "SELECT unit_id FROM unit_aliases WHERE alias = ? AND region = ?", (alias, where))
        if found:
            return final_unit(db, found[0]["unit_id"])
    found = rows(db, "SELECT id FROM units WHERE name = ?", (name,))
    if found:
        return final_unit(db, found[0]["id"])
    return db.conn.execute("INSERT INTO units (name, level, region, created_at) VALUES (?, ?, ?, ?)",
                           (name, level, region, datetime.now().astimezone().isoformat(timespec="seconds"))).lastrowid


def fill_season(db: Database) -> None:
    """Data part of migration 0005: identity and units for the reports already there; texts stored once."""
    for row in rows(db, "SELECT id, doc_kind, title, issuer, report_year, plan_year, published FROM reports"):
        parsed = parser_identity(row["doc_kind"], row["title"], row["issuer"], row["report_year"],
                                 row["plan_year"], row["published"])
        unit = resolve_unit(db, parsed["issuer"], parsed["region"], parsed["level"], parsed["title"])
        cols = list(IDENTITY_FIELDS)
        db.conn.execute(f"UPDATE reports SET {', '.join(f'{c} = ?' for c in cols)}, extracted_identity = ?,"
                        " unit_id = ? WHERE id = ?", (*(parsed[c] for c in cols), dumps(parsed), unit, row["id"]))
    for table in ("work_items", "indicators"):  # keep only the parser's values a reviewer changed
        updates = []
        for row in rows(db, f"SELECT * FROM {table} WHERE origin = 'extracted' AND extracted NOT IN ('', '{{}}')"):
            parsed, edited = loads(row["extracted"], {}), set(loads(row["edited_fields"], []))
            sparse = {k: v for k, v in parsed.items() if k in edited or (k in row and row[k] != v)}
            updates.append((dumps(sparse), row["id"]))
        db.conn.executemany(f"UPDATE {table} SET extracted = ? WHERE id = ?", updates)
    for row in rows(db, "SELECT r.id, r.clean_text, r.reading_no = p.reading_no AS current FROM readings r"
                        " JOIN reports p ON p.id = r.report_id WHERE r.clean_text != ''"):
        if row["current"]:
            db.conn.execute("UPDATE readings SET clean_text = '' WHERE id = ?", (row["id"],))
        else:
            db.conn.execute("UPDATE readings SET clean_text = '', text_z = ? WHERE id = ?",
                            (zlib.compress(row["clean_text"].encode("utf-8"), 6), row["id"]))
