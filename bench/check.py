#!/usr/bin/env python3
"""Checks a Vigil database after a benchmark run: rows written equal the requests that were
acknowledged, and the stored counters equal a recount. Exits non-zero, loudly, if not."""
import sqlite3
import sys


def main() -> int:
    path, pending_expected, confirmed_expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
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
    if rows != pending_expected + confirmed_expected:
        problems.append(f"rows {rows} != acknowledged signatures {pending_expected + confirmed_expected}")
    if by_status.get("confirmed", 0) != confirmed_expected:
        problems.append(f"confirmed rows {by_status.get('confirmed', 0)} != acknowledged confirmations {confirmed_expected}")
    if stored != by_status.get("confirmed", 0):
        problems.append(f"stored counter {stored} != recount {by_status.get('confirmed', 0)}")
    if stored_by_country != recount_by_country:
        problems.append("per-country counters differ from a recount")
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if problems:
        print("CHECK FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"check ok: {rows} signatures ({by_status.get('confirmed', 0)} confirmed), counters equal a recount, integrity ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
