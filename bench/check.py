#!/usr/bin/env python3
"""Checks a Vigil database after a benchmark run: every acknowledged request was written, and
the stored counters equal a recount. Exits non-zero, loudly, if not.

wrk stops counting answers when its time is up, while the requests still in flight (at most
one per connection) may be written anyway; so a database may hold up to `in_flight` more rows
than wrk saw acknowledged, never fewer.

The database is a SQLite file, or `postgres://…#SCHEMA`: PostgreSQL is read through psql,
which Debian's postgresql-client brings, so the check needs no Python driver."""
import sqlite3
import subprocess
import sys


class Postgres:
    """Just enough of sqlite3's connection for the queries below: rows of integers or text."""

    def __init__(self, target: str):
        self.url, _, self.schema = target.partition("#")

    def execute(self, sql: str, parameters=()):
        assert not parameters, "no parameters through psql"
        out = subprocess.run(
            ["psql", "-X", "-q", "-At", "-F", "\t", self.url, "-c", f"SET search_path TO {self.schema}", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout
        rows = [tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t")) for line in out.splitlines() if line]
        return Rows(rows)


class Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


def connect(target: str):
    """The database a benchmark ran on."""
    if target.startswith("postgres"):
        return Postgres(target)
    return sqlite3.connect(f"file:{target}?mode=ro", uri=True)


def main() -> int:
    target, pending_expected, confirmed_expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    in_flight = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    db = connect(target)
    by_status = dict(db.execute("SELECT status, COUNT(*) FROM signatures GROUP BY status").fetchall())
    stored = db.execute("SELECT confirmed_count FROM petition_counters").fetchone()[0]
    recount_by_country = dict(
        db.execute("SELECT country, COUNT(*) FROM signatures WHERE status = 'confirmed' GROUP BY country").fetchall()
    )
    stored_by_country = dict(db.execute("SELECT country, confirmed_count FROM country_counts").fetchall())
    counted = "status = 'confirmed' AND revoked_reason IS NULL"
    recount_by_committee = dict(db.execute(
        f"SELECT committee_id, COUNT(*) FROM signatures WHERE {counted} AND committee_id IS NOT NULL GROUP BY committee_id"
    ).fetchall())
    stored_by_committee = dict(db.execute("SELECT committee_id, confirmed_count FROM committee_counts WHERE confirmed_count != 0").fetchall())
    recount_by_day = dict(db.execute(
        f"SELECT confirmed_at / 86400000, COUNT(*) FROM signatures WHERE {counted} GROUP BY confirmed_at / 86400000"
    ).fetchall())
    stored_by_day = dict(db.execute("SELECT day, confirmed_count FROM daily_counts WHERE confirmed_count != 0").fetchall())
    recount_by_channel = dict(db.execute(f"SELECT channel, COUNT(*) FROM signatures WHERE {counted} GROUP BY channel").fetchall())
    stored_by_channel = dict(db.execute("SELECT channel, confirmed_count FROM channel_counts WHERE confirmed_count != 0").fetchall())
    # PostgreSQL has no such check of its own files; its checksums and amcheck are the operator's.
    integrity = "ok" if isinstance(db, Postgres) else db.execute("PRAGMA integrity_check").fetchone()[0]
    problems = []
    rows = by_status.get("pending", 0) + by_status.get("confirmed", 0)
    acknowledged = pending_expected + confirmed_expected
    if not acknowledged <= rows <= acknowledged + in_flight:
        problems.append(f"rows {rows}, acknowledged signatures {acknowledged}, at most {in_flight} in flight")
    confirmed_rows = by_status.get("confirmed", 0)
    if not confirmed_expected <= confirmed_rows <= confirmed_expected + in_flight:
        problems.append(f"confirmed rows {confirmed_rows}, acknowledged confirmations {confirmed_expected}, at most {in_flight} in flight")
    if stored != by_status.get("confirmed", 0):
        problems.append(f"stored counter {stored} != recount {by_status.get('confirmed', 0)}")
    if stored_by_country != recount_by_country:
        problems.append("per-country counters differ from a recount")
    if stored_by_committee != recount_by_committee:
        problems.append("per-committee counters differ from a recount")
    if stored_by_day != recount_by_day:
        problems.append("per-day counters differ from a recount")
    if stored_by_channel != recount_by_channel:
        problems.append("per-channel counters differ from a recount")
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if problems:
        print("CHECK FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(
        f"check ok: {rows} signatures for {acknowledged} acknowledged ({confirmed_rows} confirmed for"
        f" {confirmed_expected}), counters equal a recount" + ("" if isinstance(db, Postgres) else ", integrity ok")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
