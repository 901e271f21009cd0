-- Loopwatch store, version 5: a project's .session_outcome is linked to a session. The file names no
-- session; it is linked by time (the seed's "linked by timing") to the session of its project that was
-- active when the file was written (OutcomeFiles has the rule). The link is a property of the file's
-- version, recomputed whenever a session that could own it changes, so any arrival order gives the same
-- links.
CREATE TABLE outcome_files (
  event_id   CHAR(32)      PRIMARY KEY,  -- the OUTCOME event of one version of a .session_outcome
  project    VARCHAR(4096),              -- the directory whose .claude/ holds the file (NULL: not known)
  ts         BIGINT        NOT NULL,     -- when the version was written (the file's modification time)
  outcome    VARCHAR(16)   NOT NULL,     -- as written: SUCCESS, PARTIAL, BLOCKED, FAILED or UNKNOWN
  session_id VARCHAR(128)                -- the session it is linked to; NULL while none qualifies
);
CREATE INDEX outcome_files_project ON outcome_files(project, ts);
CREATE INDEX outcome_files_session ON outcome_files(session_id, ts);

-- Versions read before this one carry no project (and their ingestion time): kept, never linked, as a
-- rebuild from the journal would keep them.
INSERT INTO outcome_files (event_id, project, ts, outcome)
SELECT id, project, ts, COALESCE(detail, 'UNKNOWN') FROM events WHERE kind = 'OUTCOME' AND source = 'seed.session-outcome';
