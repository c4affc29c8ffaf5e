"""Bundles on the command line: export and import, and every kind of bad bundle refused in one line (exit 2)
with the library file unchanged byte for byte."""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from desktop.store.bundle import VERSION, BundleError, _checksum, read_bundle
from tests.libraries import cli as _cli, file_sha as _sha, sample_library

ROOT = Path(__file__).resolve().parents[1]




@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A library with annotations and scores, and the bundle it exported."""
    folder = tmp_path_factory.mktemp("good")
    db = folder / "a.db"
    assert _cli("annotate", 1, "--whole", "--comment", "甲：总体较好", "--reviewer", "甲", db=db).returncode == 0
    done = _cli("export", "bundle", "--all", "--reviewer", "甲", "-o", folder / "a.fzr", db=db)
    assert done.returncode == 0, done.stderr
    assert "已导出审阅包" in done.stdout and "1 份报告" in done.stdout
    return folder / "a.fzr"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _write(path: Path, members: dict[str, bytes], *, reseal: bool = False) -> Path:
    """A zip of `members`; `reseal` recomputes the manifest's sums and signs it with a key of its own, as a
    forger would (a well-formed, validly signed bundle with bad content)."""
    members = dict(members)
    if reseal:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                               for n, d in members.items() if n not in ("manifest.json", "manifest.sig")}
        manifest["checksum"] = _checksum(manifest["members"])
        manifest["signer"] = {"public_key": key.public_key().public_bytes_raw().hex()}
        members["manifest.json"] = json.dumps(manifest).encode()
        members["manifest.sig"] = key.sign(members["manifest.json"]).hex().encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_export_then_import_and_again(good, tmp_path):
    db = tmp_path / "b.db"
    first = _cli("import", "bundle", good, db=db)
    assert first.returncode == 0, first.stderr
    assert "新增 批注 1 条" in first.stdout
    again = _cli("import", "bundle", good, db=db)
    assert again.returncode == 0 and "没有需要合并的新内容" in again.stdout
    shown = _cli("annotations", 1, db=db)
    assert shown.stdout.count("甲：总体较好") == 1


def test_dry_run_writes_nothing(good, tmp_path):
    db = tmp_path / "c.db"
    assert _cli("list", db=db).returncode == 0
    before = _sha(db)
    done = _cli("import", "bundle", good, "--dry-run", db=db)
    assert done.returncode == 0 and "预览（未写入）" in done.stdout and "新增 批注 1 条" in done.stdout
    assert _sha(db) == before


def _bad_bundles(good: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    m = _members(good)
    manifest = json.loads(m["manifest.json"])
    records = json.loads(m["records.json"])
    out = {}
    newer = dict(m, **{"manifest.json": json.dumps({**manifest, "version": VERSION + 1}).encode()})
    out["newer"] = (_write(folder / "newer.fzr", newer), "更新版本")
    raw = good.read_bytes()
    out["truncated"] = (folder / "truncated.fzr", "不是有效的审阅包")
    out["truncated"][0].write_bytes(raw[: len(raw) // 2])
    tampered = dict(m, **{"records.json": m["records.json"].replace("总体较好".encode(), "总体很差".encode())})
    out["tampered"] = (_write(folder / "tampered.fzr", tampered), "校验和不符")
    resumed = dict(manifest)
    resumed["members"] = dict(manifest["members"], **{"records.json": {
        "sha256": hashlib.sha256(tampered["records.json"]).hexdigest(), "size": len(tampered["records.json"])}})
    out["manifest edited, checksum not"] = (_write(folder / "resealed-badly.fzr", dict(
        tampered, **{"manifest.json": json.dumps(resumed).encode()})), "清单的校验和不符")
    flipped = bytearray(raw)
    pos = raw.find(b"records.json", 40) + 200  # inside the deflated records
    flipped[pos] ^= 0xFF
    out["flipped byte"] = (folder / "flipped.fzr", "")
    out["flipped byte"][0].write_bytes(bytes(flipped))
    out["traversal"] = (_write(folder / "traversal.fzr", dict(m, **{"../../evil.txt": b"x"})), "不安全")
    out["absolute"] = (_write(folder / "absolute.fzr", dict(m, **{"/etc/evil": b"x"})), "不安全")
    out["bomb"] = (_write(folder / "bomb.fzr", dict(m, **{f"texts/{'0' * 64}.txt": b"\0" * (40 << 20)}),
                          reseal=True), "压缩炸弹")
    out["not a zip"] = (folder / "notzip.fzr", "不是有效的审阅包")
    out["not a zip"][0].write_bytes(b"PK\x03\x04 this is not really a zip")
    evil_row = dict(records["reports"][0]["annotations"][0], **{'body" ) ; DROP TABLE reports; --': 1})
    records_bad = json.loads(m["records.json"])
    records_bad["reports"][0]["annotations"][0] = evil_row
    out["unknown column"] = (_write(folder / "column.fzr", dict(m, **{"records.json": json.dumps(
        records_bad, ensure_ascii=False).encode()}), reseal=True), "字段不对")
    records_bad = json.loads(m["records.json"])
    records_bad["reports"][0]["annotations"][0]["stamps"] = {"body": "not a list"}
    out["bad stamps"] = (_write(folder / "stamps.fzr", dict(m, **{"records.json": json.dumps(
        records_bad, ensure_ascii=False).encode()}), reseal=True), "时间戳无效")
    return out


def test_bad_bundles_are_refused_and_the_library_is_unchanged(good, tmp_path):
    db = tmp_path / "lib.db"
    assert _cli("annotate", 1, "--whole", "--comment", "本地批注", db=db).returncode == 0
    before = _sha(db)
    for kind, (path, words) in _bad_bundles(good, tmp_path).items():
        done = _cli("import", "bundle", path, db=db)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2, (kind, done.stdout, done.stderr)
        assert len(lines) == 1 and "Traceback" not in done.stderr, (kind, done.stderr)
        assert words in lines[0], (kind, lines[0])
        assert _sha(db) == before, kind
    with sample_library(db) as repo:
        assert [a.body for a in repo.annotations.annotations()] == ["本地批注"]
        assert repo.integrity_check() == "ok"


def test_a_lying_header_cannot_unpack_more_than_it_declares(good, tmp_path):
    """A member whose local size fields claim less than it holds is stopped while reading, not after."""
    m = _members(good)
    path = _write(tmp_path / "liar.fzr", m)
    data = bytearray(path.read_bytes())
    # shrink the declared uncompressed size of records.json in the central directory to 10 bytes
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(b"records.json"))
    data[cd + 24: cd + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError):
        read_bundle(path)


def test_export_refuses_to_overwrite_and_needs_a_selection(good, tmp_path):
    db = tmp_path / "e.db"
    assert _cli("list", db=db).returncode == 0
    none = _cli("export", "bundle", "-o", tmp_path / "x.fzr", db=db)
    assert none.returncode == 2 and "--all" in none.stderr
    (tmp_path / "y.fzr").write_bytes(b"keep")
    kept = _cli("export", "bundle", "--all", "-o", tmp_path / "y.fzr", db=db)
    assert kept.returncode == 2 and (tmp_path / "y.fzr").read_bytes() == b"keep"
    wrong = _cli("export", "bundle", "--all", "-o", tmp_path / "y.zip", db=db)
    assert wrong.returncode == 2 and ".fzr" in wrong.stderr


def test_reviewers_assign_and_conflicts_commands(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for db, who, value in ((a, "甲", "4.5"), (b, "乙", "1")):
        assert _cli("list", db=db).returncode == 0
        with sample_library(db) as repo:
            from desktop.review.service import set_score

            set_score(repo, 1, "completeness", float(value), who=who)
            repo.items.update_work_item(repo.items.work_items(1)[0].id, {"remarks": f"{who}的备注"}, who=who)
    assert _cli("assign", 1, "甲", "乙", db=a).returncode == 0
    assert _cli("export", "bundle", "--all", "-o", tmp_path / "a.fzr", db=a).returncode == 0
    merged = _cli("import", "bundle", tmp_path / "a.fzr", db=b)
    assert "冲突 1 处" in merged.stdout and "甲 的“甲的备注”被 乙 的修改覆盖" in merged.stdout
    shown = _cli("reviewers", 1, db=b).stdout
    assert "分工：乙、甲" in shown
    assert "内容完整：均分 2.75，分差 3.5（乙 1，甲 4.5）  ⚠ 分歧" in shown
    listed = _cli("conflicts", db=b).stdout
    assert "备注" in listed and "remarks" not in listed and "T" not in listed.split("]")[1][:20]
    cid = json.loads(_cli("conflicts", "--json", db=b).stdout)[0]["id"]
    assert "已确认 1 处冲突" in _cli("conflicts", "--confirm", cid, "--who", "乙", db=b).stdout
    assert "没有待确认的冲突" in _cli("conflicts", db=b).stdout


def test_records_missing_required_values_are_refused_before_any_write(good, tmp_path):
    from desktop.store.bundle import import_bundle

    m = _members(good)
    for damage in ("report", "section", "item"):
        records = json.loads(m["records.json"])
        rep = records["reports"][0]
        if damage == "report":
            rep["doc_kind"] = None
        elif damage == "section":
            rep["sections"][0] = {"path": "一"}
        else:
            del rep["work_items"][0]["text"]
        rep["key"] = "another-report"  # so the merge would have to insert it
        path = _write(tmp_path / f"{damage}.fzr", dict(m, **{"records.json": json.dumps(
            records, ensure_ascii=False).encode()}), reseal=True)
        with sample_library(tmp_path / "lib.db") as repo:
            before = repo.team.canonical_dump()
            with pytest.raises(BundleError, match="未做任何改动"):
                import_bundle(repo, path)
            assert repo.team.canonical_dump() == before and repo.reports.report_count() == 1


def test_a_bundle_too_big_for_its_own_import_is_not_written(tmp_path, monkeypatch):
    """A season exported as one bundle whose records pass the import's per-part limit could never be read back:
    the export refuses it and says how to split it, and no file is left."""
    from desktop.store import bundle

    repo = sample_library(tmp_path / "lib.db", backups=False)
    monkeypatch.setattr(bundle, "MAX_MEMBER", 1000)  # the sample's records are larger than this
    out = tmp_path / "all.fzr"
    with pytest.raises(BundleError, match="分批导出"):
        bundle.export_bundle(repo, out)
    assert not out.exists() and not out.with_name(out.name + ".part").exists()
    repo.close()
