-- Call attempts: one row per originate, from dialing to the end of the conversation.
-- The id is a UUID: the Asterisk ChannelId (so AMI events' Uniqueid) and the AudioSocket UUID.
CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL,
    candidate_id  INTEGER,            -- NULL for ad-hoc calls (voicebot call NUMBER)
    campaign_id   INTEGER,
    state         TEXT NOT NULL CHECK (state IN ('dialing', 'connected', 'ended')),
    outcome       TEXT,               -- dial outcome: answered, no_answer, busy, rejected, ...
    reason        INTEGER,            -- OriginateResponse Reason
    cause         INTEGER,            -- Q.850 hangup cause of the dialed channel, when known
    cause_text    TEXT,
    ring_s        REAL,
    created_at    TEXT NOT NULL,      -- ISO 8601 UTC
    connected_at  TEXT,
    ended_at      TEXT,
    ended_by      TEXT,               -- candidate, bot, timeout, shutdown, error
    duration_s    REAL,
    result        TEXT,               -- conversation outcome: completed, declined, hung_up, ...
    result_data   TEXT,               -- JSON written by the conversation
    recording     TEXT,               -- path relative to the data directory
    recording_s   REAL,
    error         TEXT
);
CREATE INDEX attempts_candidate ON attempts (candidate_id, created_at);
CREATE INDEX attempts_created ON attempts (created_at);
