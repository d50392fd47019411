/// The schema's whole history. Append new steps; never edit one that has shipped.
///
/// Times are stored as milliseconds since 1970 (UTC) in 64-bit integers, and binary data as
/// blobs, so the same statements carry over to PostgreSQL.
enum Migrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "petitions, signatures, counters and outbox",
            statements: [
                """
                CREATE TABLE instance_settings (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE petitions (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'delivered')),
                    goal INTEGER NOT NULL CHECK (goal > 0),
                    default_language TEXT NOT NULL,
                    organisation TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE petition_texts (
                    id INTEGER PRIMARY KEY,
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    language TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    text_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    UNIQUE (petition_id, language, version)
                )
                """,
                """
                CREATE TABLE external_tallies (
                    id INTEGER PRIMARY KEY,
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    source_name TEXT NOT NULL,
                    source_url TEXT,
                    signature_count INTEGER NOT NULL CHECK (signature_count >= 0),
                    counted_on BIGINT,
                    recorded_on BIGINT NOT NULL,
                    note TEXT
                )
                """,
                """
                CREATE TABLE petition_counters (
                    petition_id BIGINT PRIMARY KEY REFERENCES petitions (id),
                    confirmed_count BIGINT NOT NULL DEFAULT 0,
                    held_count BIGINT NOT NULL DEFAULT 0,
                    version BIGINT NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE country_counts (
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    country TEXT NOT NULL,
                    confirmed_count BIGINT NOT NULL,
                    PRIMARY KEY (petition_id, country)
                )
                """,
                """
                CREATE TABLE signatures (
                    id INTEGER PRIMARY KEY,
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    email_index TEXT NOT NULL,
                    personal_data BLOB NOT NULL,
                    country TEXT NOT NULL,
                    language TEXT NOT NULL,
                    text_hash TEXT NOT NULL,
                    show_name_publicly BOOLEAN NOT NULL,
                    keep_informed BOOLEAN NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'held')),
                    hold_reason TEXT,
                    client_hash TEXT,
                    token_hash TEXT UNIQUE,
                    token_expires_at BIGINT,
                    signer_number BIGINT,
                    created_at BIGINT NOT NULL,
                    confirmed_at BIGINT,
                    last_mailed_at BIGINT,
                    UNIQUE (petition_id, email_index)
                )
                """,
                "CREATE INDEX signatures_by_status ON signatures (petition_id, status)",
                """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    language TEXT NOT NULL,
                    recipient BLOB NOT NULL,
                    payload BLOB,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT NOT NULL,
                    lease_until BIGINT,
                    last_error TEXT,
                    message_id TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL,
                    sent_at BIGINT
                )
                """,
                "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
                """
                CREATE TABLE detainees (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    category TEXT NOT NULL,
                    position INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE detainee_names (
                    id INTEGER PRIMARY KEY,
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    script TEXT NOT NULL,
                    language TEXT,
                    kind TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE organisations (
                    slug TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    source TEXT
                )
                """,
                """
                CREATE TABLE organisation_members (
                    organisation TEXT NOT NULL REFERENCES organisations (slug),
                    country TEXT NOT NULL,
                    PRIMARY KEY (organisation, country)
                )
                """,
                """
                CREATE TABLE petition_detainees (
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    PRIMARY KEY (petition_id, detainee_id)
                )
                """,
            ]
        ),
        Migration(
            version: 2,
            name: "detainee registry: facts, timeline, proceedings, sources, citations, revisions",
            statements: [
                "ALTER TABLE detainees ADD COLUMN published BOOLEAN NOT NULL DEFAULT TRUE",
                "ALTER TABLE detainee_names ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'",
                "ALTER TABLE detainee_names ADD COLUMN unsourced BOOLEAN NOT NULL DEFAULT FALSE",
                """
                CREATE TABLE sources (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    position INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    publisher TEXT,
                    url TEXT,
                    published_on TEXT,
                    accessed_on TEXT,
                    note TEXT
                )
                """,
                """
                CREATE TABLE detainee_facts (
                    id INTEGER PRIMARY KEY,
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    position INTEGER NOT NULL,
                    field TEXT NOT NULL CHECK (field IN ('born', 'birthplace', 'reported_age', 'summary', 'background')),
                    value TEXT NOT NULL,
                    unclear TEXT,
                    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'restricted')),
                    unsourced BOOLEAN NOT NULL
                )
                """,
                """
                CREATE TABLE detainee_events (
                    id INTEGER PRIMARY KEY,
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    occurred_on TEXT,
                    place TEXT,
                    place_visibility TEXT NOT NULL CHECK (place_visibility IN ('public', 'restricted')),
                    description TEXT NOT NULL,
                    unclear TEXT,
                    proceeding TEXT,
                    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'restricted')),
                    unsourced BOOLEAN NOT NULL
                )
                """,
                """
                CREATE TABLE detainee_proceedings (
                    id INTEGER PRIMARY KEY,
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    position INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    court TEXT NOT NULL,
                    place TEXT,
                    judge TEXT,
                    judge_visibility TEXT NOT NULL CHECK (judge_visibility IN ('public', 'restricted')),
                    charges TEXT NOT NULL,
                    verdict TEXT,
                    sentence_years INTEGER CHECK (sentence_years IS NULL OR sentence_years > 0),
                    note TEXT,
                    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'restricted')),
                    unsourced BOOLEAN NOT NULL,
                    UNIQUE (detainee_id, key)
                )
                """,
                """
                CREATE TABLE citations (
                    id INTEGER PRIMARY KEY,
                    detainee_id BIGINT NOT NULL REFERENCES detainees (id),
                    subject TEXT NOT NULL CHECK (subject IN ('name', 'fact', 'event', 'proceeding')),
                    subject_id BIGINT NOT NULL,
                    position INTEGER NOT NULL,
                    source_id BIGINT NOT NULL REFERENCES sources (id),
                    location TEXT,
                    quote TEXT,
                    reliability TEXT NOT NULL CHECK (reliability IN ('official', 'corroborated', 'reported', 'unclear'))
                )
                """,
                "CREATE INDEX citations_by_detainee ON citations (detainee_id)",
                """
                CREATE TABLE revisions (
                    id INTEGER PRIMARY KEY,
                    entity TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    changed_at BIGINT NOT NULL,
                    before_json TEXT,
                    after_json TEXT
                )
                """,
                "CREATE INDEX revisions_by_entity ON revisions (entity, entity_key)",
            ]
        ),
        Migrations.tallyLog,
        Migration(
            version: 4,
            name: "staff accounts, sessions, login throttling, the audit log and updates",
            statements: [
                """
                CREATE TABLE staff (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'coordinator', 'viewer')),
                    committee_id BIGINT,
                    password_hash TEXT,
                    totp_secret BLOB,
                    totp_last_step BIGINT,
                    setup_token_hash TEXT UNIQUE,
                    setup_expires_at BIGINT,
                    disabled BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at BIGINT NOT NULL,
                    last_login_at BIGINT
                )
                """,
                """
                CREATE TABLE staff_recovery_codes (
                    staff_id BIGINT NOT NULL REFERENCES staff (id),
                    code_hash TEXT NOT NULL,
                    used_at BIGINT,
                    PRIMARY KEY (staff_id, code_hash)
                )
                """,
                """
                CREATE TABLE staff_sessions (
                    id_hash TEXT PRIMARY KEY,
                    staff_id BIGINT NOT NULL REFERENCES staff (id),
                    stage TEXT NOT NULL CHECK (stage IN ('second-factor', 'enrol', 'signed-in')),
                    created_at BIGINT NOT NULL,
                    last_seen_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    client_hash TEXT
                )
                """,
                "CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id)",
                """
                CREATE TABLE login_throttle (
                    key TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    window_started_at BIGINT NOT NULL,
                    locked_until BIGINT
                )
                """,
                """
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at BIGINT NOT NULL,
                    staff_id BIGINT,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    details TEXT,
                    client_hash TEXT
                )
                """,
            ]
                // The audit log is append-only: the database itself refuses to change or delete a row.
                + [MigrationStatement.refuseChangeFunction]
                + MigrationStatement.refusingChanges(to: "audit_log", trigger: "audit_log", message: "the audit log cannot be changed")
                + [
                """
                CREATE TABLE updates (
                    id INTEGER PRIMARY KEY,
                    petition_id BIGINT NOT NULL REFERENCES petitions (id),
                    created_by BIGINT REFERENCES staff (id),
                    created_at BIGINT NOT NULL,
                    published_at BIGINT,
                    emailed_at BIGINT
                )
                """,
                // Names and comments are shown publicly only once staff approve them: 'pending' when
                // the signer offered one, 'none' when there is nothing to show.
                "ALTER TABLE signatures ADD COLUMN name_moderation TEXT NOT NULL DEFAULT 'none'",
                "ALTER TABLE signatures ADD COLUMN comment_moderation TEXT NOT NULL DEFAULT 'none'",
                // The hash of each signature's "manage my signature" link, to find it by the link.
                "ALTER TABLE signatures ADD COLUMN manage_token_hash TEXT",
                "CREATE UNIQUE INDEX signatures_by_manage_token ON signatures (manage_token_hash)",
                // When a petition last changed state: retention counts from its closing or delivery.
                "ALTER TABLE petitions ADD COLUMN state_changed_at BIGINT",
                // When a signature's personal data was erased; it still counts.
                "ALTER TABLE signatures ADD COLUMN erased_at BIGINT",
                // Bumped when staff change a petition's content, so every cache of it reloads.
                "ALTER TABLE petition_counters ADD COLUMN content_version BIGINT NOT NULL DEFAULT 0",
                """
                CREATE TABLE update_texts (
                    update_id BIGINT NOT NULL REFERENCES updates (id),
                    language TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (update_id, language)
                )
                """,
            ]
        ),
        Migrations.invalidations,
        Migrations.mechanism,
        Migrations.committees,
        Migrations.dailyCounts,
        Migrations.paperAndPartners,
        Migrations.leafIndex,
        Migrations.sharedRateWindows,
        Migrations.publicSignersIndex,
        Migrations.standingIndexes,
        Migrations.revokedIndex,
        Migrations.outboxSigners,
        Migrations.paperErasure,
    ]
}

