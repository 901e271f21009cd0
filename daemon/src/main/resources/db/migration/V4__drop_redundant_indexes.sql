-- Loopwatch store, version 4: two indexes nothing reads any more go. Every index is one more B-tree that
-- each inserted row rewrites a page of (and H2's MVStore copies a page on every write), so they cost a
-- backfill time and garbage for nothing.

-- No query selects events by kind across sessions; a session's events are found by events_session.
DROP INDEX events_kind_ts;

-- Since version 3, two indexes of tool_calls start with session_id; this one, its prefix, serves nothing
-- they do not.
DROP INDEX tool_calls_session;
