package dev.loopwatch.daemon.store.query;

import java.time.Instant;
import java.util.List;

/** One session in full: its summary, usage per model, timeline, requests, tools, errors, subagents, files. */
public record SessionDetail(
    SessionRow session,
    List<CostRow> models,
    List<TimelineEntry> timeline,
    List<Request> requests,
    List<ToolUse> tools,
    List<Subagent> subagents,
    List<FileTouch> files,
    List<String> unknownModels) {

  /** Something that happened, in order. */
  public record TimelineEntry(Instant ts, String kind, String detail, String tool, String text) {}

  /** One API request after de-duplication. */
  public record Request(
      Instant ts, String model, String agentId, long input, long output, long cacheCreation, long cacheRead) {}

  /**
   * One tool use with its result. {@code success} is {@code null} while there is no result, and for a call
   * Claude Code cancelled because a parallel sibling failed ({@code error} says so): it never ran.
   */
  public record ToolUse(
      String toolUseId, Instant ts, String tool, String input, Boolean success, boolean rejected,
      Long durationMs, String error, String signature) {}

  /** One subagent run. */
  public record Subagent(
      String toolUseId, String agentId, String type, String description, String model, String status,
      Long totalTokens, Long toolUses, Long durationMs) {}

  /** A file the session read or changed. */
  public record FileTouch(Instant ts, String path, String op, long linesAdded, long linesRemoved) {}
}
