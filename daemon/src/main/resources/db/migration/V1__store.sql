-- Loopwatch store, version 1: the projection of the journal (DESIGN §6). Everything here can be
-- rebuilt from the journal (loopwatch rebuild). Timestamps are epoch milliseconds (UTC).
-- Every fact table has `machine` so that several machines' journals can later be merged.

-- Where the projector is in the journal: written in the same transaction as the rows it produced.
CREATE TABLE projection_offset (
  name        VARCHAR(64) PRIMARY KEY,
  queue_index BIGINT      NOT NULL,
  events      BIGINT      NOT NULL DEFAULT 0,
  updated_at  BIGINT      NOT NULL
);

-- Every journaled event, once (the id is stable across re-reads: this table is the dedupe gate).
CREATE TABLE events (
  id          CHAR(32)      PRIMARY KEY,
  queue_index BIGINT        NOT NULL,
  ts          BIGINT        NOT NULL,
  machine     VARCHAR(255),
  source      VARCHAR(64)   NOT NULL,
  kind        VARCHAR(32)   NOT NULL,
  detail      VARCHAR(64),  -- the kind's subtype: prompt kind, session state, subagent phase, system subtype
  session_id  VARCHAR(128),
  project     VARCHAR(4096),
  agent_id    VARCHAR(128),
  tool        VARCHAR(255),
  model       VARCHAR(255),
  duration_ms BIGINT,
  success     BOOLEAN,
  error       VARCHAR(4096),
  signature   CHAR(16),
  attrs       CHARACTER VARYING(1000000)  -- JSON; kept inline (H2 stores a CLOB apart, several times slower)
);
CREATE INDEX events_session ON events(session_id, kind, ts);
CREATE INDEX events_kind_ts ON events(kind, ts);

-- first_* come from the session's earliest event that says, title from its latest: any arrival order
-- gives the same row. The counters and the outcome are recomputed from events and tool_calls whenever
-- the session is touched (dirty).
CREATE TABLE sessions (
  session_id   VARCHAR(128)  PRIMARY KEY,
  machine      VARCHAR(255),
  project      VARCHAR(4096),
  project_ts   BIGINT,
  first_ts     BIGINT        NOT NULL,
  last_ts      BIGINT        NOT NULL,
  title        VARCHAR(1024),
  title_ts     BIGINT,
  version      VARCHAR(64),
  git_branch   VARCHAR(255),
  requests     INT           NOT NULL DEFAULT 0,
  prompts      INT           NOT NULL DEFAULT 0,
  turns        INT           NOT NULL DEFAULT 0,
  turn_ms      BIGINT        NOT NULL DEFAULT 0,
  tool_calls   INT           NOT NULL DEFAULT 0,
  tool_errors  INT           NOT NULL DEFAULT 0,
  rejections   INT           NOT NULL DEFAULT 0,
  interrupts   INT           NOT NULL DEFAULT 0,
  compactions  INT           NOT NULL DEFAULT 0,
  subagents    INT           NOT NULL DEFAULT 0,
  api_errors   INT           NOT NULL DEFAULT 0,
  ended        BOOLEAN       NOT NULL DEFAULT FALSE,
  declared_outcome VARCHAR(16),
  declared_ts  BIGINT,
  outcome      VARCHAR(16),
  outcome_reason VARCHAR(512),
  error_storm  BOOLEAN       NOT NULL DEFAULT FALSE,
  dirty        BOOLEAN       NOT NULL DEFAULT TRUE
);
CREATE INDEX sessions_last ON sessions(last_ts);
CREATE INDEX sessions_project ON sessions(project, last_ts);

-- One API response, keyed by (message id, request id); each usage field keeps its maximum over all
-- copies (repeated content-block lines, agent_progress copies, subagent files), in any order.
-- *_hi hold the tokens of a type above 200k in this request (long-context pricing tiers).
CREATE TABLE api_requests (
  message_id  VARCHAR(128)  NOT NULL,
  request_id  VARCHAR(128)  NOT NULL,
  machine     VARCHAR(255),
  session_id  VARCHAR(128),
  project     VARCHAR(4096),
  agent_id    VARCHAR(128),
  sidechain   BOOLEAN       NOT NULL,
  model       VARCHAR(255)  NOT NULL,
  speed       VARCHAR(16)   NOT NULL DEFAULT '',
  ts          BIGINT        NOT NULL,
  input       BIGINT        NOT NULL,
  output      BIGINT        NOT NULL,
  cache_write_5m BIGINT     NOT NULL,
  cache_write_1h BIGINT     NOT NULL,
  cache_read  BIGINT        NOT NULL,
  web_search  BIGINT        NOT NULL,
  api_error   BOOLEAN       NOT NULL DEFAULT FALSE,
  origin_rank INT           NOT NULL,
  PRIMARY KEY (message_id, request_id)
);
CREATE INDEX api_requests_session ON api_requests(session_id);
CREATE INDEX api_requests_ts ON api_requests(ts);

-- Token sums per 15-minute bucket (every time zone's day boundary falls on one), model and dimension:
-- what cost/usage totals read, so a totals query does not grow with the number of requests.
CREATE TABLE usage_buckets (
  bucket      BIGINT        NOT NULL,
  machine     VARCHAR(255)  NOT NULL,
  project     VARCHAR(4096) NOT NULL,
  model       VARCHAR(255)  NOT NULL,
  speed       VARCHAR(16)   NOT NULL,
  agent       VARCHAR(16)   NOT NULL,
  requests    BIGINT NOT NULL,
  input_lo BIGINT NOT NULL, input_hi BIGINT NOT NULL,
  output_lo BIGINT NOT NULL, output_hi BIGINT NOT NULL,
  cw5_lo BIGINT NOT NULL, cw5_hi BIGINT NOT NULL,
  cw1_lo BIGINT NOT NULL, cw1_hi BIGINT NOT NULL,
  cr_lo BIGINT NOT NULL, cr_hi BIGINT NOT NULL,
  web_search BIGINT NOT NULL,
  PRIMARY KEY (bucket, machine, project, model, speed, agent)
);

-- The same sums per session and model (session cost without scanning requests).
CREATE TABLE session_usage (
  session_id  VARCHAR(128)  NOT NULL,
  model       VARCHAR(255)  NOT NULL,
  speed       VARCHAR(16)   NOT NULL,
  agent       VARCHAR(16)   NOT NULL,
  requests    BIGINT NOT NULL,
  input_lo BIGINT NOT NULL, input_hi BIGINT NOT NULL,
  output_lo BIGINT NOT NULL, output_hi BIGINT NOT NULL,
  cw5_lo BIGINT NOT NULL, cw5_hi BIGINT NOT NULL,
  cw1_lo BIGINT NOT NULL, cw1_hi BIGINT NOT NULL,
  cr_lo BIGINT NOT NULL, cr_hi BIGINT NOT NULL,
  web_search BIGINT NOT NULL,
  PRIMARY KEY (session_id, model, speed, agent)
);

-- A tool use and its result, paired by tool_use_id whichever arrives first.
CREATE TABLE tool_calls (
  tool_use_id VARCHAR(128)  PRIMARY KEY,
  machine     VARCHAR(255),
  session_id  VARCHAR(128),
  project     VARCHAR(4096),
  agent_id    VARCHAR(128),
  tool        VARCHAR(255),
  call_ts     BIGINT,
  result_ts   BIGINT,
  success     BOOLEAN,
  rejected    BOOLEAN       NOT NULL DEFAULT FALSE,
  interrupted BOOLEAN       NOT NULL DEFAULT FALSE,
  duration_ms BIGINT,
  error       VARCHAR(4096),
  signature   CHAR(16),
  file_path   VARCHAR(4096),
  input_summary VARCHAR(1024)
);
CREATE INDEX tool_calls_session ON tool_calls(session_id, call_ts);
CREATE INDEX tool_calls_tool ON tool_calls(tool);
CREATE INDEX tool_calls_signature ON tool_calls(signature);

-- Repeated failures by signature: tool + error class + input shape (DESIGN §8).
CREATE TABLE failures (
  signature   CHAR(16)      PRIMARY KEY,
  machine     VARCHAR(255),
  tool        VARCHAR(255)  NOT NULL,
  error_class VARCHAR(255)  NOT NULL,
  input_shape VARCHAR(1024) NOT NULL,
  example     VARCHAR(4096),
  occurrences INT           NOT NULL,
  sessions    INT           NOT NULL,
  first_ts    BIGINT        NOT NULL,
  last_ts     BIGINT        NOT NULL
);

CREATE TABLE file_touches (
  tool_use_id VARCHAR(128)  PRIMARY KEY,
  machine     VARCHAR(255),
  session_id  VARCHAR(128),
  project     VARCHAR(4096),
  ts          BIGINT        NOT NULL,
  file_path   VARCHAR(4096) NOT NULL,
  op          VARCHAR(16)   NOT NULL,
  lines_added BIGINT        NOT NULL DEFAULT 0,
  lines_removed BIGINT      NOT NULL DEFAULT 0,
  user_modified BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX file_touches_path ON file_touches(file_path);
CREATE INDEX file_touches_session ON file_touches(session_id);

-- A subagent run: spawned by a Task/Agent tool use in the parent, done when its result arrives.
CREATE TABLE subagents (
  tool_use_id VARCHAR(128)  PRIMARY KEY,
  machine     VARCHAR(255),
  session_id  VARCHAR(128),
  agent_id    VARCHAR(128),
  agent_type  VARCHAR(255),
  description VARCHAR(1024),
  model       VARCHAR(255),
  spawned_ts  BIGINT,
  done_ts     BIGINT,
  status      VARCHAR(64),
  total_tokens BIGINT,
  tool_uses   BIGINT,
  duration_ms BIGINT
);
CREATE INDEX subagents_session ON subagents(session_id);

-- The seed's session summary: a session with its spend, tool activity and outcome in one row.
CREATE VIEW v_session_summary AS
SELECT s.session_id, s.machine, s.project, s.title, s.first_ts, s.last_ts,
       s.last_ts - s.first_ts AS duration_ms,
       s.prompts, s.turns, s.tool_calls, s.tool_errors, s.rejections, s.interrupts, s.compactions,
       s.subagents, s.outcome, s.error_storm,
       COALESCE(u.requests, 0) AS requests,
       COALESCE(u.input_tokens, 0) AS input_tokens,
       COALESCE(u.output_tokens, 0) AS output_tokens,
       COALESCE(u.cache_write_tokens, 0) AS cache_write_tokens,
       COALESCE(u.cache_read_tokens, 0) AS cache_read_tokens,
       (SELECT COUNT(*) FROM events e WHERE e.session_id = s.session_id) AS events
FROM sessions s
LEFT JOIN (
  SELECT session_id, SUM(requests) AS requests, SUM(input_lo + input_hi) AS input_tokens,
         SUM(output_lo + output_hi) AS output_tokens,
         SUM(cw5_lo + cw5_hi + cw1_lo + cw1_hi) AS cache_write_tokens,
         SUM(cr_lo + cr_hi) AS cache_read_tokens
  FROM session_usage GROUP BY session_id
) u ON u.session_id = s.session_id;
