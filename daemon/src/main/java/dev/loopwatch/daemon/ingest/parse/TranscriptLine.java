package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The envelope every chain line of a Claude Code transcript shares (claude-code-formats.md §1.3), read
 * once per line, and the builder prefill that puts it on each event the line yields: session, agent,
 * project, time, and the attributes {@code uuid}, {@code cwd}, {@code version}, {@code gitBranch},
 * {@code sidechain}.
 */
final class TranscriptLine {
  final JsonNode node;
  final ParseContext ctx;
  final String uuid;
  final String sessionId;
  final String agentId;
  final String cwd;
  final Instant ts;
  /** A sidechain line: an {@code isSidechain} line or any line of a subagent's own file. */
  final boolean sidechain;

  private final String sidechainAttr;

  private TranscriptLine(JsonNode node, ParseContext ctx) {
    this.node = node;
    this.ctx = ctx;
    SourceFile file = ctx.file();
    this.uuid = JsonFields.text(node, "uuid");
    String session = JsonFields.text(node, "sessionId");
    this.sessionId = session != null ? session : sessionFromPath(file);
    String agent = JsonFields.text(node, "agentId");
    this.agentId = agent != null ? agent : file.agentIdFromName();
    this.cwd = JsonFields.text(node, "cwd");
    this.ts = Timestamps.parse(node.get("timestamp"));
    Boolean isSidechain = JsonFields.bool(node, "isSidechain");
    boolean subagentFile = file.isSubagentTranscript();
    this.sidechain = subagentFile || Boolean.TRUE.equals(isSidechain);
    this.sidechainAttr = subagentFile ? "true" : isSidechain == null ? null : isSidechain.toString();
  }

  static TranscriptLine of(JsonNode node, ParseContext ctx) {
    return new TranscriptLine(node, ctx);
  }

  /**
   * The session a line without {@code sessionId} belongs to: a main transcript is named
   * {@code <sessionId>.jsonl}; a subagent's sits in {@code <sessionId>/subagents/}. A legacy
   * {@code agent-*.jsonl} next to the sessions names no session.
   */
  static String sessionFromPath(SourceFile file) {
    if (!file.isSubagentTranscript()) {
      return file.stem();
    }
    Path dir = file.path().getParent();
    if (dir != null && dir.getFileName() != null && "subagents".equals(dir.getFileName().toString())) {
      Path sessionDir = dir.getParent();
      if (sessionDir != null && sessionDir.getFileName() != null) {
        return sessionDir.getFileName().toString();
      }
    }
    return null;
  }

  /** A builder with this line's envelope filled in. */
  Event.Builder event(EventKind kind) {
    return ctx.event(kind)
        .ts(ts)
        .sessionId(sessionId)
        .agentId(agentId)
        .project(cwd)
        .attr("uuid", uuid)
        .attr("cwd", cwd)
        .attr("version", JsonFields.text(node, "version"))
        .attr("gitBranch", JsonFields.text(node, "gitBranch"))
        .attr("sidechain", sidechainAttr);
  }

  /** The natural key {@code prefix + uuid}, or the line's position when it has no uuid. */
  String key(String prefix) {
    return uuid != null ? prefix + uuid : prefix + "@" + ctx.positionKey();
  }

  /** For the {@code index}-th event of one kind on this line. */
  String key(String prefix, int index) {
    return key(prefix) + ':' + index;
  }

  /** Reports the working directory (once per line; the sink dedupes). */
  void reportProject() {
    ProjectDirs.report(ctx, cwd);
  }
}
