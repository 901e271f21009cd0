package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventIds;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.event.Usage;
import java.time.Instant;

/**
 * Events as the transcript parser emits them (same kinds, attributes and id scheme), for tests that feed
 * the real projection. Every event of one {@code Events} belongs to one session and project.
 */
final class Events {
  static final String SOURCE = "claude.transcript";
  static final Instant READ_AT = Instant.parse("2030-01-01T00:00:00Z");

  final String session;
  final String project;
  final String machine;

  Events(String session, String project) {
    this(session, project, "test-machine");
  }

  Events(String session, String project, String machine) {
    this.session = session;
    this.project = project;
    this.machine = machine;
  }

  private Event.Builder event(EventKind kind, Instant ts) {
    return Event.builder(kind, SOURCE).ts(ts).ingestedAt(READ_AT).machine(machine).sessionId(session).project(project)
        .attr("cwd", project);
  }

  private Event build(Event.Builder b, String key) {
    return b.id(EventIds.of(machine, SOURCE, session, key)).build();
  }

  Event prompt(Instant ts, String text) {
    return build(event(EventKind.PROMPT, ts).attr("promptKind", "text").attr("text", text), "p:" + ts + text);
  }

  /** One API response's usage: {@code msgId}/{@code reqId} are its dedupe key. */
  Event usage(Instant ts, String msgId, String model, long input, long output, long cacheWrite, long cacheRead) {
    return usage(ts, msgId, model, new Usage(input, output, cacheWrite, 0, cacheRead, 0), null);
  }

  /** The same for a subagent ({@code agentId} set, a sidechain line). */
  Event subagentUsage(Instant ts, String msgId, String model, String agentId, long input, long output) {
    return usage(ts, msgId, model, new Usage(input, output, 0, 0, 0, 0), agentId);
  }

  Event usage(Instant ts, String msgId, String model, Usage u, String agentId) {
    Event.Builder b = event(EventKind.API_USAGE, ts).model(model).usage(u).agentId(agentId)
        .attr("msgId", msgId).attr("reqId", "req_" + msgId)
        .attr("origin", agentId == null ? "main" : "subagent")
        .attr("sidechain", agentId == null ? "false" : "true");
    return build(b, "u:" + msgId + ":" + agentId);
  }

  Event bash(Instant ts, String toolUseId, String command) {
    return build(event(EventKind.TOOL_CALL, ts).tool("Bash").attr("toolUseId", toolUseId).attr("command", command),
        "t:" + toolUseId);
  }

  Event call(Instant ts, String toolUseId, String tool, String filePath) {
    return build(event(EventKind.TOOL_CALL, ts).tool(tool).attr("toolUseId", toolUseId).attr("filePath", filePath),
        "t:" + toolUseId);
  }

  Event ok(Instant ts, String toolUseId) {
    return build(event(EventKind.TOOL_RESULT, ts).success(true).attr("toolUseId", toolUseId), "r:" + toolUseId);
  }

  Event failed(Instant ts, String toolUseId, String error) {
    return build(event(EventKind.TOOL_RESULT, ts).success(false).error(error).attr("toolUseId", toolUseId),
        "r:" + toolUseId);
  }

  Event rejected(Instant ts, String toolUseId) {
    return build(
        event(EventKind.TOOL_RESULT, ts).success(false)
            .error("The user doesn't want to proceed with this tool use. The tool use was rejected.")
            .attr("toolUseId", toolUseId).attr("rejected", "true"),
        "r:" + toolUseId);
  }

  Event interrupted(Instant ts) {
    return build(event(EventKind.SESSION_STATE, ts).attr("state", "interrupted").attr("forToolUse", "false"),
        "i:" + ts);
  }

  /** An edit, write or creation ({@code op}), or a read. */
  Event touch(Instant ts, String toolUseId, String path, String op, long added, long removed) {
    return build(
        event(EventKind.FILE_TOUCH, ts).attr("toolUseId", toolUseId).attr("filePath", path).attr("op", op)
            .attr("linesAdded", Long.toString(added)).attr("linesRemoved", Long.toString(removed)),
        "f:" + toolUseId);
  }
}
