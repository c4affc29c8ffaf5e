"""Signed bundles against forgery: a bundle with consistent checksums that rewrites another reviewer's record
is refused, as is a stamp far in the future and every record that breaks the schema (each in one line, the
library unchanged byte for byte); a reviewer's changed key is refused until `team trust`; two libraries with
trusted keys still converge."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.store.bundle import BundleError, export_bundle, import_bundle, read_bundle, write_bundle
from desktop.store.db import open_library
from desktop.store.signing import _batch_message, field_hashes

from tests.libraries import cli as _cli, file_sha as _sha, sample_library

ROOT = Path(__file__).resolve().parents[1]
VICTIM_BODY = "甲：第二部分的数据与上年不一致，请核实"




@pytest.fixture
def pair(tmp_path):
    """Library A (reviewer 甲) with an annotation, its bundle, and library B that has imported it."""
    a = sample_library(tmp_path / "a" / "library.db")
    b = sample_library(tmp_path / "b" / "library.db")
    a.annotations.add_annotation(1, target_kind="report", body=VICTIM_BODY, status="需核实", reviewer="甲")
    export_bundle(a, tmp_path / "a.fzr")
    import_bundle(b, tmp_path / "a.fzr")
    yield a, b, tmp_path
    a.close()
    b.close()


def _forge(src: Path, out: Path, change, *, seal: bool = True) -> Path:
    """`src` with its records changed by `change(state, library_id)`, re-signed by a forger's own key, the
    checksums consistent; with `seal`, the forger also seals the stamps it made with that key."""
    manifest, state = read_bundle(src)
    seals = state.pop("seals")
    made = change(state, manifest["library_id"]) or set()
    key = Ed25519PrivateKey.generate()
    if seal and made:
        pub = key.public_key().public_bytes_raw().hex()
        hashes = field_hashes(state)
        body = json.dumps({s: base64.b64encode(b"".join(sorted(hashes[s][0]))).decode() for s in sorted(made)})
        seals.append({"key": pub, "body": body, "sig": key.sign(_batch_message(pub, body)).hex()})
    write_bundle(out, state, author=manifest["author"], key=key, seals=seals)
    return out


def _rewrite_victim(state, library_id, *, stamp_time="2026-01-01T00:00:00.000000Z"):
    """Another reviewer's annotation rewritten to say there is no problem and closed, credited to 甲."""
    note = state["reports"][0]["annotations"][0]
    stamp = f"{stamp_time}|{library_id}|deadbeef"
    note["body"], note["status"] = "本报告无问题", "已销号"
    for field in ("body", "status"):
        note["stamps"][field] = [stamp, note["stamps"].get(field, [""])[0], "甲"]
    return {stamp}


def test_a_forged_rewrite_of_another_reviewers_record_is_refused(pair):
    a, b, folder = pair
    db = Path(b.path)
    b.close()
    before = _sha(db)
    sealed = _forge(folder / "a.fzr", folder / "sealed.fzr", _rewrite_victim)
    unsealed = _forge(folder / "a.fzr", folder / "unsealed.fzr", _rewrite_victim, seal=False)

    def same_stamp(state, _):  # the victim's own stamps kept, only the values changed
        note = state["reports"][0]["annotations"][0]
        note["body"], note["status"] = "本报告无问题", "已销号"

    kept = _forge(folder / "a.fzr", folder / "kept.fzr", same_stamp)
    for path, words in ((sealed, "签名密钥与此前记录的不同"), (unsealed, "没有签名"), (kept, "与其签名不符")):
        done = _cli("import", "bundle", path, db=db)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and words in lines[0], (path.name, done.stderr)
        assert _sha(db) == before, path.name
    with open_library(db) as repo:
        assert [(n.body, n.status) for n in repo.annotations.annotations(1)] == [(VICTIM_BODY, "需核实")]


def test_a_far_future_stamp_is_refused_and_writes_go_on(pair):
    a, b, folder = pair
    db = Path(b.path)
    b.close()
    before = _sha(db)

    def future(state, library_id):  # in the victim's own library, so only the time is wrong
        return _rewrite_victim(state, library_id, stamp_time="9999-12-31T23:59:59.999999Z")

    path = _forge(folder / "a.fzr", folder / "future.fzr", future)
    done = _cli("import", "bundle", path, db=db)
    assert done.returncode == 2 and "时间戳在未来" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _sha(db) == before
    assert _cli("annotate", 1, "--whole", "--comment", "之后照常写入", db=db).returncode == 0


@pytest.mark.parametrize("name, change, words", [
    ("tags", lambda s: s["reports"][0]["annotations"][0].update(tags="不是列表"), "标签列表"),
    ("score", lambda s: s["reports"][0]["annotations"][0].update(score=99), "超出评分范围"),
    ("status", lambda s: s["reports"][0]["annotations"][0].update(status="随便"), "不是可用的值"),
    ("offset", lambda s: s["reports"][0]["sections"][0].update(end=10**7), "超出范围"),
    ("backwards", lambda s: s["reports"][0]["sections"][1].update(start=s["reports"][0]["sections"][1]["end"] + 1),
     "在 start 之前"),
    ("nul", lambda s: s["reports"][0]["annotations"][0].update(reviewer="甲\x00乙"), "NUL"),
    ("year", lambda s: s["reports"][0].update(report_year="abc"), "应为整数"),
    ("far year", lambda s: s["reports"][0].update(report_year=9999), "超出范围"),
])
def test_records_breaking_the_schema_refuse_the_bundle(pair, name, change, words):
    a, b, folder = pair
    db = Path(b.path)
    b.close()
    before = _sha(db)
    path = _forge(folder / "a.fzr", folder / f"bad-{name.replace(' ', '-')}.fzr", lambda s, _: change(s))
    done = _cli("import", "bundle", path, db=db)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and words in lines[0], (name, done.stderr)
    assert _sha(db) == before


def test_a_changed_key_is_refused_until_the_reviewer_is_trusted(pair):
    a, b, folder = pair
    other = sample_library(folder / "a2" / "library.db")  # 甲 on a second computer: a new library, a new key
    other.annotations.add_annotation(1, target_kind="report", body="甲：换了电脑后的批注", reviewer="甲")
    export_bundle(other, folder / "a2.fzr")
    other.close()
    with pytest.raises(BundleError, match="team trust 甲"):
        import_bundle(b, folder / "a2.fzr")
    db = Path(b.path)
    b.close()
    before = _sha(db)
    refused = _cli("import", "bundle", folder / "a2.fzr", db=db)
    assert refused.returncode == 2 and "team trust 甲" in refused.stderr and _sha(db) == before
    listed = _cli("team", "keys", db=db)
    assert "审阅人 甲：密钥指纹" in listed.stdout
    trusted = _cli("team", "trust", "甲", folder / "a2.fzr", db=db)
    assert trusted.returncode == 0 and "已确认" in trusted.stdout
    done = _cli("import", "bundle", folder / "a2.fzr", db=db)
    assert done.returncode == 0 and "新增 批注 1 条" in done.stdout, done.stderr
    nothing = _cli("team", "trust", "乙", folder / "a2.fzr", db=db)
    assert nothing.returncode == 2 and len(nothing.stderr.strip().splitlines()) == 1


def test_two_libraries_with_trusted_keys_converge(pair):
    a, b, folder = pair
    b.annotations.add_annotation(1, target_kind="report", body="乙：同意甲的意见", reviewer="乙")
    a.annotations.update_annotation(a.annotations.annotations(1)[0].id, {"status": "已审"}, who="甲")
    export_bundle(a, folder / "a2.fzr")
    export_bundle(b, folder / "b.fzr")
    import_bundle(b, folder / "a2.fzr")
    _, summary = import_bundle(a, folder / "b.fzr")
    assert not summary.notes, summary.notes  # every write signed: no warning
    assert a.team.canonical_dump() == b.team.canonical_dump()
    export_bundle(a, folder / "a3.fzr")
    _, again = import_bundle(b, folder / "a3.fzr")
    assert again.unchanged


def test_a_library_already_holding_a_stamp_at_the_end_of_time_still_writes():
    from desktop.store.merge import Clock

    clock = Clock("lib", "9999-12-31T23:59:59.999999Z|other|ab")
    assert clock.next().split("|")[1] == "lib"
