#!/usr/bin/env python3
"""Checks a Vigil database after a benchmark run: every acknowledged request was written, and
the stored counters equal a recount. Exits non-zero, loudly, if not.

wrk stops counting answers when its time is up, while the requests still in flight (at most
one per connection) may be written anyway; so a database may hold up to `in_flight` more rows
than wrk saw acknowledged, never fewer."""
import sqlite3
import sys


def main() -> int:
    path, pending_expected, confirmed_expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    in_flight = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    by_status = dict(db.execute("SELECT status, COUNT(*) FROM signatures GROUP BY status").fetchall())
    stored = db.execute("SELECT confirmed_count FROM petition_counters").fetchone()[0]
    recount_by_country = dict(
        db.execute("SELECT country, COUNT(*) FROM signatures WHERE status = 'confirmed' GROUP BY country").fetchall()
    )
    stored_by_country = dict(db.execute("SELECT country, confirmed_count FROM country_counts").fetchall())
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
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
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if problems:
        print("CHECK FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(
        f"check ok: {rows} signatures for {acknowledged} acknowledged ({confirmed_rows} confirmed for"
        f" {confirmed_expected}), counters equal a recount, integrity ok"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
