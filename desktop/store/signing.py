"""Signed review bundles: each library's Ed25519 key, seals over every write, and which key each reviewer uses.

A bundle is signed by its exporting library (the manifest, which holds every member's checksum, inside the
signature). That alone would not let a record travel on through a third library, so every write a library
makes is also sealed by it: a seal batch, signed once per export, lists for each of its own stamps the
hashes of the fields written with it (table, id, field, value, base, author). Batches travel unchanged with
the records, so a record relayed by another library still proves who wrote it. On import every incoming field
must be in the seal of its stamp, the seal's key must be the key known for the library in the stamp and for
the reviewer it claims (first seen is kept; a changed key is refused until `team trust` or the desk confirms
it with the bundle in hand). See team.md §5.
"""
from __future__ import annotations

import base64
import hashlib
import json

from desktop.store.merge import canonical
from desktop.store.repo_base import now_iso

_HASH = 12  # bytes of each field's hash (96 bits: no second preimage within reach)
_TABLES = """
CREATE TABLE IF NOT EXISTS team_keys (principal TEXT PRIMARY KEY, public_key TEXT NOT NULL, first_seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seal_batches (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, body TEXT NOT NULL,
                                         sig TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stamp_seals (stamp TEXT PRIMARY KEY, batch_id TEXT NOT NULL);
"""


class SignatureError(ValueError):
    """A signature does not verify, a seal is missing or a key changed; one Chinese sentence."""


def _has_tables(repo) -> bool:
    return repo.db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'stamp_seals'").fetchone() is not None


def _has_key(repo) -> bool:
    return repo.db.row("SELECT 1 AS x FROM library_info WHERE key = 'signing_key'") is not None


def ensure_tables(repo) -> None:
    """The key and seal tables, made when first needed (older libraries have none; nothing else reads them)."""
    if not _has_tables(repo):
        with repo.db.tx():
            for stmt in _TABLES.split(";"):
                if stmt.strip():
                    repo.db.execute(stmt)


# ----------------------------------------------------------------------------------------- keys
def library_key(repo):
    """This library's Ed25519 signing key, made and stored on first use."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    row = repo.db.row("SELECT value FROM library_info WHERE key = 'signing_key'")
    if row is not None:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(row["value"]))
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw().hex()
    with repo.db.tx():
        repo.db.execute("INSERT OR IGNORE INTO library_info (key, value) VALUES ('signing_key', ?)", (raw,))
    return library_key(repo)  # a concurrent writer may have made one first: use what is stored


def public_hex(private) -> str:
    return private.public_key().public_bytes_raw().hex()


def fingerprint(public_key_hex: str) -> str:
    """A key as a person compares it: 16 hex digits in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def sign_bytes(repo, data: bytes) -> tuple[str, str]:
    """(public key, signature) of `data` by this library's key, both hex."""
    key = library_key(repo)
    return public_hex(key), key.sign(data).hex()


def verify_bytes(public_key_hex: str, sig_hex: str, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(bytes.fromhex(sig_hex), data)
        return True
    except (InvalidSignature, ValueError):
        return False


# ---------------------------------------------------------------------------------------- seals
def _entries(state: dict):
    """(table, id, row, stamps) of every record of a state that carries stamps, as a bundle carries it."""
    from desktop.store.team_schema import PARTS

    for rep in state["reports"]:
        yield "reports", rep["key"], rep, rep.get("stamps") or {}
        for part in PARTS:
            for row in rep.get(part) or ():
                if row.get("stamps"):
                    yield part, row.get("gid"), row, row["stamps"]
    for name, entry in (state.get("settings") or {}).items():
        yield "settings", name, {name: entry.get("value")}, {name: entry.get("stamp")}


CLAIMS = {"annotations": "reviewer", "rubric_scores": "reviewer"}  # the field naming whose record it is
# What a record says when it is made, sealed with its creation stamp while no later write changed it (a field
# written later carries its own stamp and seal). Local, derived fields (anchors, positions) are left out.
AT_CREATION = {"annotations": ("body", "tags", "score", "status", "reviewer", "target_kind", "target_gid"),
               "rubric_scores": ("criterion_id", "score", "comment", "reviewer"),
               "assignments": ("reviewer", "note", "deleted")}
CREATED = "_created"


def _hash(table, gid, field, value, base, author) -> bytes:
    return hashlib.sha256(canonical([table, gid, field, value, base, author]).encode("utf-8")).digest()[:_HASH]


def field_hashes(state: dict) -> dict[str, tuple[set[bytes], set[str], set[str]]]:
    """stamp -> (hashes of the fields carrying it in `state`, the reviewers its records claim, its authors).

    A record's claim (an annotation's or a score's reviewer) is sealed with the stamp that set it: its own, or
    the record's creation stamp while it was never changed."""
    out: dict[str, tuple[set[bytes], set[str], set[str]]] = {}
    for table, gid, row, stamps in _entries(state):
        for field, entry in stamps.items():
            stamp, base, author = entry
            hashes, claims, authors = out.setdefault(stamp, (set(), set(), set()))
            hashes.add(_hash(table, gid, field, row.get(field), base, author))
            if author:
                authors.add(author)
        created = stamps.get(CREATED)
        if created is not None:
            hashes = out[created[0]][0]
            for field in AT_CREATION.get(table, ()):
                if field not in stamps:
                    hashes.add(_hash(table, gid, field, row.get(field), "", None))
        claim = CLAIMS.get(table)
        owner = stamps.get(claim) or created if claim and row.get(claim) else None
        if owner is not None:
            out[owner[0]][1].add(row[claim])
    return out


def _batch_message(public_key: str, body: str) -> bytes:
    return b"fazhi-review-seal\x00" + public_key.encode() + b"\x00" + body.encode("utf-8")


def seal_state(repo, state: dict) -> list[dict]:
    """Seal this library's own stamps in `state` not sealed yet (one new batch), then return every batch that
    covers a stamp of `state`, to travel with it."""
    ensure_tables(repo)
    hashes = field_hashes(state)
    library = repo.library_id()
    sealed = {s for (s,) in repo.db.conn.execute("SELECT stamp FROM stamp_seals")}
    fresh = {s: v[0] for s, v in hashes.items() if _library(s) == library and s not in sealed}
    if fresh:
        body = json.dumps({s: base64.b64encode(b"".join(sorted(h))).decode() for s, h in sorted(fresh.items())},
                          separators=(",", ":"))
        key = library_key(repo)
        pub = public_hex(key)
        sig = key.sign(_batch_message(pub, body)).hex()
        with repo.db.tx():
            _store_batch(repo, pub, body, sig)
            names = {a for s in fresh for a in hashes[s][1]}  # the reviewers this library's records claim
            _bind(repo, [f"library:{library}", *(f"reviewer:{a}" for a in sorted(names))], pub)
    stored = dict(repo.db.conn.execute("SELECT stamp, batch_id FROM stamp_seals"))
    wanted = {stored[s] for s in hashes if s in stored}
    return [{"key": r["public_key"], "body": r["body"], "sig": r["sig"]}
            for r in repo.db.rows("SELECT * FROM seal_batches ORDER BY id") if r["id"] in wanted]


def _store_batch(repo, pub: str, body: str, sig: str) -> str:
    batch_id = hashlib.sha256(_batch_message(pub, body)).hexdigest()
    repo.db.execute("INSERT OR IGNORE INTO seal_batches (id, public_key, body, sig) VALUES (?, ?, ?, ?)",
               (batch_id, pub, body, sig))
    repo.db.conn.executemany("INSERT OR IGNORE INTO stamp_seals (stamp, batch_id) VALUES (?, ?)",
                             [(s, batch_id) for s in json.loads(body)])
    return batch_id


def _library(stamp: str) -> str:
    parts = stamp.split("|")
    return parts[1] if len(parts) == 3 else ""


def _bind(repo, principals, pub: str) -> None:
    """First seen is kept: a principal without a key gets `pub`; one with a key keeps it."""
    repo.db.conn.executemany("INSERT OR IGNORE INTO team_keys (principal, public_key, first_seen) VALUES (?, ?, ?)",
                             [(p, pub, now_iso()) for p in principals])


class KeyChanged(SignatureError):
    """A reviewer's (or library's) key differs from the one first seen: `principal`, `key` (the new one)."""

    def __init__(self, message: str, principal: str, key: str):
        super().__init__(message)
        self.principal = principal
        self.key = key


def _who(principal: str) -> str:
    kind, _, name = principal.partition(":")
    return f"审阅人“{name}”" if kind == "reviewer" else f"审阅库 {name[:8]}"


def _incoming_seals(batches) -> dict[str, tuple[str, str, str, set[bytes]]]:
    """stamp -> (batch id, key, body, hashes) of a bundle's seal batches, each signature verified once."""
    incoming: dict[str, tuple[str, str, str, set[bytes]]] = {}
    for batch in batches:
        if (type(batch) is not dict or not all(type(batch.get(k)) is str for k in ("key", "body", "sig"))
                or not verify_bytes(batch["key"], batch["sig"], _batch_message(batch["key"], batch["body"]))):
            raise SignatureError("审阅包中的记录签名无效（记录被改动或伪造），未做任何改动")
        batch_id = hashlib.sha256(_batch_message(batch["key"], batch["body"])).hexdigest()
        try:
            body = json.loads(batch["body"])
            if type(body) is not dict or not all(type(k) is str and type(v) is str for k, v in body.items()):
                raise ValueError("not stamp -> hashes")
        except ValueError:
            raise SignatureError("审阅包中的记录签名格式不对，未做任何改动") from None
        for stamp, blob in body.items():
            raw = base64.b64decode(blob)
            seal = (batch_id, batch["key"], batch["body"], {raw[i:i + _HASH] for i in range(0, len(raw), _HASH)})
            if stamp in incoming and incoming[stamp][1] != batch["key"]:
                raise SignatureError("审阅包中同一处修改有两个不同的签名，疑似伪造，未做任何改动")
            incoming[stamp] = seal
    return incoming


def check_seals(repo, state: dict, batches, *, allow_unsigned: bool, record: bool) -> list[str]:
    """Refuse (SignatureError) a state whose writes are not all sealed by the key known for their library and
    reviewer; with `record`, keep new batches and first-seen keys (inside the caller's transaction). Notes for
    the summary (unsigned writes let in by `allow_unsigned`)."""
    if record:
        ensure_tables(repo)
    has_tables = _has_tables(repo)
    hashes = field_hashes(state)
    incoming = _incoming_seals(batches)
    keys = {r["principal"]: r["public_key"]
            for r in (repo.db.rows("SELECT principal, public_key FROM team_keys") if has_tables else ())}
    if record or _has_key(repo):
        keys.setdefault(f"library:{repo.library_id()}", public_hex(library_key(repo)))  # nobody else signs as us
    unsigned = 0
    new_batches: dict[str, tuple[str, str]] = {}
    stored = dict(repo.db.conn.execute("SELECT stamp, batch_id FROM stamp_seals")) if has_tables else {}
    batches_read: dict[str, tuple[str, dict]] = {}  # batch id -> (key, stamp -> packed hashes), each parsed once
    for stamp, (fields, claims, authors) in hashes.items():
        known = stored.get(stamp)
        if known is not None:
            if known not in batches_read:
                row = repo.db.row("SELECT public_key, body FROM seal_batches WHERE id = ?", (known,))
                batches_read[known] = (row["public_key"], json.loads(row["body"]))
            key, body = batches_read[known]
            raw = base64.b64decode(body[stamp])
            sealed = {raw[i:i + _HASH] for i in range(0, len(raw), _HASH)}
        elif stamp in incoming:
            batch_id, key, body, sealed = incoming[stamp]
            new_batches[batch_id] = (key, body)
        else:
            unsigned += 1
            continue
        if not fields <= sealed:
            raise SignatureError("审阅包中有记录与其签名不符（内容被改动或伪造，例如冒用他人的批注），未做任何改动")
        if known is not None:
            continue
        # the library in the stamp and the reviewers its records claim: first seen is kept; the authors of
        # its writes must match a key already known for them (a plain user name never binds anyone)
        bound = [f"library:{_library(stamp)}", *(f"reviewer:{a}" for a in sorted(claims))]
        checked = [f"reviewer:{a}" for a in sorted(authors - claims) if f"reviewer:{a}" in keys]
        for principal in (*bound, *checked):
            if keys.setdefault(principal, key) != key:
                raise KeyChanged(f"{_who(principal)}的签名密钥与此前记录的不同（可能是伪造的审阅包，或对方换了电脑/重建了审阅库）；"
                                 f"核实后用 team trust {principal.partition(':')[2]} 审阅包文件 确认新密钥再导入，未做任何改动",
                                 principal, key)
    if unsigned and not allow_unsigned:
        raise SignatureError(f"审阅包中有 {unsigned} 处修改没有签名（旧版本导出，或被改动过）；确认来源可靠后"
                             "用 --allow-unsigned 导入，未做任何改动")
    if record:
        for batch_id, (key, body) in new_batches.items():
            sig = next(b["sig"] for b in batches if b["key"] == key and b["body"] == body)
            _store_batch(repo, key, body, sig)
        for principal, key in keys.items():
            _bind(repo, [principal], key)
    return [f"有 {unsigned} 处修改没有签名（旧版本导出），按 --allow-unsigned 导入，请确认来源可靠"] if unsigned else []


def trust(repo, name: str, public_key: str) -> str | None:
    """Confirm `public_key` (the key that signed a bundle refused for a changed key) for reviewer `name` (or a
    library id); the key's fingerprint, or None when `name` has no other key to replace."""
    ensure_tables(repo)
    for principal in (f"reviewer:{name}", f"library:{name}"):
        row = repo.db.row("SELECT public_key FROM team_keys WHERE principal = ?", (principal,))
        if row is not None and row["public_key"] != public_key:
            with repo.db.tx():
                repo.db.execute("UPDATE team_keys SET public_key = ?, first_seen = ? WHERE principal = ?",
                           (public_key, now_iso(), principal))
            return fingerprint(public_key)
    return None


def known_keys(repo) -> list[dict]:
    """Every reviewer and library with its key's fingerprint and when it was first seen."""
    ensure_tables(repo)
    return [{"principal": r["principal"], "fingerprint": fingerprint(r["public_key"]), "first_seen": r["first_seen"]}
            for r in repo.db.rows("SELECT * FROM team_keys ORDER BY principal")]
