-- Loopwatch store, version 3: every read of a session's recompute (SessionProjection) goes through an
-- index, so that a live update of a session of 20,000 requests and tool calls costs about what one of
-- 20 does (daemon/bench/live-benchmark.sh measures it; before, the recompute read every row of the
-- session, and an update of such a session took 230 ms at the median).

-- A session's API errors and its latest answer; the index on session_id alone is its prefix and goes.
DROP INDEX api_requests_session;
CREATE INDEX api_requests_session ON api_requests(session_id, api_error, ts);

-- A session's last results (read backwards in order, stopping at 5) and its calls still open.
CREATE INDEX tool_calls_session_result ON tool_calls(session_id, result_ts, tool_use_id);

-- A session's rejections, and its failures in time order.
CREATE INDEX tool_calls_session_outcome ON tool_calls(session_id, rejected, success, result_ts);
