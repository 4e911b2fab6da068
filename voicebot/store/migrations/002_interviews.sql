-- Interviews: the result of an answered call run by a job profile.

-- The exact profile a call used, kept so a report stays interpretable after HR edits the file.
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,     -- sha256 of the YAML text
    name        TEXT NOT NULL,        -- company + job title, for people
    language    TEXT NOT NULL,
    source_path TEXT,
    yaml        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE interviews (
    attempt_id      TEXT PRIMARY KEY REFERENCES attempts (id),
    profile_id      TEXT NOT NULL REFERENCES profiles (id),
    candidate_id    INTEGER,
    language        TEXT NOT NULL,
    outcome         TEXT NOT NULL,    -- completed, declined, callback, opted_out, hung_up, no_input
    callback_at     TEXT,             -- ISO 8601, when the candidate asked to be called back
    total_score     REAL,             -- 0..100, NULL when nothing was scored
    recommendation  TEXT,             -- advance, review, reject (always pending human review)
    knocked_out     INTEGER NOT NULL DEFAULT 0,
    report_version  TEXT,
    report_json     TEXT,             -- the versioned JSON report (voicebot/interview/REPORT.md)
    report_html     TEXT,             -- self-contained HTML for recruiters
    created_at      TEXT NOT NULL
);
CREATE INDEX interviews_candidate ON interviews (candidate_id, created_at);
CREATE INDEX interviews_created ON interviews (created_at);

-- Numbers that asked not to be called again. Checked before every originate.
CREATE TABLE do_not_call (
    number      TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,        -- opted_out (said so in a call), manual, import
    attempt_id  TEXT,
    added_at    TEXT NOT NULL
);
