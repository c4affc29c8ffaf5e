"""The server's schema as versioned migrations, its roles (`server init`) and reviewers' login roles (`add-reviewer`).

Schema `fazhi`, owned by the administrator role `fazhi_admin`:
* `records` — append-only: every pushed version of a review record (a bundle's row, a report's content, a setting,
  a tag, a removal), with the reviewer who pushed it. Members of `fazhi_reviewers` may SELECT everything and INSERT
  only rows whose `reviewer` is their own (row-level security); nobody may UPDATE or DELETE (no grant, and a trigger
  refuses even the owner).
* `stamp_log` — every field write (stamp) the server has accepted, with its author and a digest of its value. A
  record may carry another reviewer's write only when the server already holds that exact write from its author:
  a role cannot claim another reviewer's work (checked for each INSERT statement by the `records` trigger, set-based,
  which alone may write the log; a refusal aborts the whole statement).
* `reviewers` — login role -> reviewer name (the name stamped in the library's records); `meta` — the server's id.
"""
from __future__ import annotations

import secrets

ADMIN = "fazhi_admin"
REVIEWERS = "fazhi_reviewers"
LOCK = 727_201  # pg_advisory_xact_lock key: one writer of `records` at a time, so seq numbers commit in order

# Every field write a statement's new records carry (the records trigger reads them several times).
_CLAIMED = r"""SELECT n.kind, n.gid, e.key AS field, e.value ->> 0 AS stamp, e.value ->> 2 AS author,
               CASE WHEN left(e.key, 1) = '_' THEN '' ELSE md5(coalesce(n.body -> e.key, 'null'::jsonb)::text) END
                   AS value_md5
        FROM new_rows n, jsonb_each(CASE WHEN jsonb_typeof(n.body -> 'stamps') = 'object'
                                         THEN n.body -> 'stamps' ELSE '{}'::jsonb END) e
        WHERE jsonb_typeof(e.value) = 'array' AND coalesce(e.value ->> 0, '') <> ''"""

_M0001 = r"""
CREATE TABLE fazhi.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO fazhi.meta (key, value) VALUES ('server_id', md5(random()::text || clock_timestamp()::text));
CREATE TABLE fazhi.reviewers (
    role name PRIMARY KEY,
    reviewer text NOT NULL UNIQUE CHECK (length(reviewer) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE fazhi.records (
    seq bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    gid text NOT NULL CHECK (length(gid) BETWEEN 1 AND 200),
    report_key text CHECK (length(report_key) <= 128),
    reviewer text NOT NULL,
    library_id text CHECK (length(library_id) <= 128),
    body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    digest text GENERATED ALWAYS AS (md5(body::text)) STORED,
    pushed_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, gid, digest));
CREATE INDEX records_report ON fazhi.records (report_key, kind);
DO $$ BEGIN  -- a report's content is large: lz4 stores it several times faster than pglz (when the server has it)
    ALTER TABLE fazhi.records ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
END $$;
CREATE TABLE fazhi.stamp_log (
    kind text NOT NULL, gid text NOT NULL, field text NOT NULL, stamp text NOT NULL,
    author text, value_md5 text NOT NULL,
    PRIMARY KEY (kind, gid, field, stamp));

CREATE FUNCTION fazhi.reviewer_of(r name) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = fazhi, pg_temp AS $$ SELECT reviewer FROM fazhi.reviewers WHERE role = r $$;

CREATE FUNCTION fazhi.claim_problem(p_kind text, p_gid text, p_body jsonb, p_reviewer text, p_admin boolean)
    RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = fazhi, pg_temp AS $$
DECLARE
    e record; who text; st text; md text; k_author text; k_md text;
BEGIN
    IF jsonb_typeof(p_body -> 'stamps') IS DISTINCT FROM 'object' THEN
        RETURN NULL;  -- content (a report's text, a reader's row): claims no reviewer
    END IF;
    FOR e IN SELECT key, value FROM jsonb_each(p_body -> 'stamps') LOOP
        IF jsonb_typeof(e.value) IS DISTINCT FROM 'array' THEN
            RETURN '记录的时间戳格式不对';
        END IF;
        st := e.value ->> 0;
        who := e.value ->> 2;
        CONTINUE WHEN st IS NULL OR st = '';
        md := CASE WHEN left(e.key, 1) = '_' THEN '' ELSE md5(coalesce(p_body -> e.key, 'null'::jsonb)::text) END;
        SELECT l.author, l.value_md5 INTO k_author, k_md FROM fazhi.stamp_log l
            WHERE l.kind = p_kind AND l.gid = p_gid AND l.field = e.key AND l.stamp = st;
        IF FOUND THEN
            IF k_author IS DISTINCT FROM who OR k_md <> md THEN
                RETURN format('记录中的修改（%s）与服务器已有的不符（伪造或被改动）', e.key);
            END IF;
        ELSIF NOT (p_admin OR (who IS NOT NULL AND who = p_reviewer)) THEN
            RETURN format('记录中有审阅人“%s”的修改，只能由其本人上传', coalesce(who, '未署名'));
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TYPE fazhi.claim AS (kind text, gid text, field text, stamp text, author text, value_md5 text);

CREATE FUNCTION fazhi.check_claims() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = fazhi, pg_temp AS $$
DECLARE
    bad record; admin boolean; me text; claims fazhi.claim[];
BEGIN
    -- one statement's new records at once (set-based: a first push carries tens of thousands)
    admin := pg_has_role(session_user, 'fazhi_admin', 'MEMBER');
    me := fazhi.reviewer_of(session_user);
    IF NOT admin THEN
        SELECT reviewer INTO bad FROM new_rows WHERE reviewer IS DISTINCT FROM me LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '记录署名为“%”，与当前账户对应的审阅人不符，服务器拒绝写入', bad.reviewer
                USING ERRCODE = '42501';
        END IF;
    END IF;
    SELECT array_agg(ROW(x.kind, x.gid, x.field, x.stamp, x.author, x.value_md5)::fazhi.claim) INTO claims
        FROM (CLAIMED) x;
    WITH c AS (SELECT * FROM unnest(claims))
    SELECT c.field INTO bad FROM c JOIN fazhi.stamp_log l USING (kind, gid, field, stamp)
        WHERE l.author IS DISTINCT FROM c.author OR l.value_md5 <> c.value_md5 LIMIT 1;
    IF NOT FOUND THEN
        WITH c AS (SELECT * FROM unnest(claims))
        SELECT field INTO bad FROM c GROUP BY kind, gid, field, stamp
            HAVING count(DISTINCT (coalesce(author, ''), value_md5)) > 1 LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION '记录中的修改（%）与服务器已有的不符（伪造或被改动），服务器拒绝写入', bad.field
            USING ERRCODE = '42501';
    END IF;
    IF NOT admin THEN
        WITH c AS (SELECT * FROM unnest(claims))
        SELECT c.author INTO bad FROM c
            WHERE c.author IS DISTINCT FROM me AND NOT EXISTS (
                SELECT 1 FROM fazhi.stamp_log l WHERE (l.kind, l.gid, l.field, l.stamp) = (c.kind, c.gid, c.field, c.stamp))
            LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '记录中有审阅人“%”的修改，只能由其本人上传，服务器拒绝写入', coalesce(bad.author, '未署名')
                USING ERRCODE = '42501';
        END IF;
    END IF;
    INSERT INTO fazhi.stamp_log (kind, gid, field, stamp, author, value_md5)
        WITH c AS (SELECT * FROM unnest(claims))
        SELECT DISTINCT ON (kind, gid, field, stamp) kind, gid, field, stamp, author, value_md5 FROM c
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION fazhi.check_signed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = fazhi, pg_temp AS $$
BEGIN  -- before row-level security's own check, so the refusal says why in the reviewer's words
    IF NEW.reviewer IS DISTINCT FROM fazhi.reviewer_of(session_user)
            AND NOT pg_has_role(session_user, 'fazhi_admin', 'MEMBER') THEN
        RAISE EXCEPTION '记录署名为“%”，与当前账户对应的审阅人不符，服务器拒绝写入', NEW.reviewer
            USING ERRCODE = '42501';
    END IF;
    NEW.pushed_at := now();
    RETURN NEW;
END $$;

CREATE FUNCTION fazhi.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '服务器上的审阅记录只增不改，不能修改或删除' USING ERRCODE = '42501';
END $$;

CREATE TRIGGER records_signed BEFORE INSERT ON fazhi.records FOR EACH ROW EXECUTE FUNCTION fazhi.check_signed();
CREATE TRIGGER records_claims AFTER INSERT ON fazhi.records REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fazhi.check_claims();
CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON fazhi.records
    FOR EACH ROW EXECUTE FUNCTION fazhi.append_only();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON fazhi.records
    FOR EACH STATEMENT EXECUTE FUNCTION fazhi.append_only();

ALTER TABLE fazhi.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE fazhi.records FORCE ROW LEVEL SECURITY;
CREATE POLICY records_read ON fazhi.records FOR SELECT USING (true);
CREATE POLICY records_insert_own ON fazhi.records FOR INSERT
    WITH CHECK (reviewer = fazhi.reviewer_of(current_user) OR pg_has_role(current_user, 'fazhi_admin', 'MEMBER'));

REVOKE ALL ON ALL TABLES IN SCHEMA fazhi FROM PUBLIC;
GRANT USAGE ON SCHEMA fazhi TO fazhi_reviewers;
GRANT SELECT ON fazhi.meta, fazhi.reviewers, fazhi.records, fazhi.migrations TO fazhi_reviewers;
GRANT INSERT (kind, gid, report_key, reviewer, library_id, body) ON fazhi.records TO fazhi_reviewers;
GRANT USAGE ON SEQUENCE fazhi.records_seq_seq TO fazhi_reviewers;
REVOKE ALL ON FUNCTION fazhi.check_claims(), fazhi.check_signed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fazhi.claim_problem(text, text, jsonb, text, boolean) TO fazhi_reviewers;
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (("0001_records", _M0001.replace("CLAIMED", _CLAIMED)),)
SCHEMA_VERSION = len(MIGRATIONS)


def _role_exists(conn, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def init(conn) -> list[str]:
    """Create the roles (if the cluster lacks them) and apply the pending migrations in one transaction; the names
    applied. `conn` must be a superuser's or a role with CREATEROLE that may create schemas in the database."""
    from psycopg import sql

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        for role in (ADMIN, REVIEWERS):
            if not _role_exists(conn, role):
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(ADMIN)))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS fazhi AUTHORIZATION {}").format(sql.Identifier(ADMIN)))
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(ADMIN)))
        conn.execute("CREATE TABLE IF NOT EXISTS fazhi.migrations (name text PRIMARY KEY,"
                     " applied_at timestamptz NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT name FROM fazhi.migrations")}
        applied = []
        for name, script in MIGRATIONS:
            if name in done:
                continue
            conn.execute(script)
            conn.execute("INSERT INTO fazhi.migrations (name) VALUES (%s)", (name,))
            applied.append(name)
        conn.execute("RESET ROLE")
    return applied


def newer_than_program(conn) -> bool:
    """The server's schema comes from a newer version of the program (a migration we do not know)."""
    known = {name for name, _ in MIGRATIONS}
    return any(r[0] not in known for r in conn.execute("SELECT name FROM fazhi.migrations"))


def add_reviewer(conn, name: str, *, role: str | None = None, password: str | None = None,
                 admin: bool = False) -> tuple[str, str | None]:
    """A login role for reviewer `name` (the role is the name unless given), in `fazhi_reviewers` (and
    `fazhi_admin` with `admin`), mapped to the name its records are stamped with. (role, the password set: the
    given one, a new random one for a new role, or None when an existing role keeps its own)."""
    from psycopg import sql

    name = (name or "").strip()
    role = (role or name).strip()
    if not name or not role or len(role.encode("utf-8")) > 63:
        raise ValueError("审阅人姓名不能为空，账户名不超过 63 字节")
    with conn.transaction():
        holder = conn.execute("SELECT role FROM fazhi.reviewers WHERE reviewer = %s", (name,)).fetchone()
        if holder is not None and holder[0] != role:
            raise ValueError(f"审阅人“{name}”已有账户 {holder[0]}")
        ident = sql.Identifier(role)
        if not _role_exists(conn, role):
            password = password or secrets.token_urlsafe(12)
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        elif password:
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(REVIEWERS), ident))
        if admin:
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ADMIN), ident))
        conn.execute("INSERT INTO fazhi.reviewers (role, reviewer) VALUES (%s, %s)"
                     " ON CONFLICT (role) DO UPDATE SET reviewer = excluded.reviewer", (role, name))
    return role, password
