package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * Claude Code session transcripts ({@code projects/**}/{@code *.jsonl}, main and subagent files, any
 * Claude Code version from 1.0.x on). Dispatches each line on its {@code type}; lines without one, and
 * types not listed here ({@code file-history-snapshot}, {@code file-history-delta},
 * {@code queue-operation}, {@code attachment}, and whatever later versions add), yield nothing. The
 * mapping per type is documented on the reader that handles it:
 *
 * <ul>
 *   <li>{@code assistant}: {@link AssistantReader} (API_USAGE, TOOL_CALL, SUBAGENT spawn);
 *   <li>{@code user}: {@link UserReader} (PROMPT, SESSION_STATE interrupted, TOOL_RESULT, FILE_TOUCH,
 *       SUBAGENT done);
 *   <li>{@code system}: {@link SystemReader} (COMPACTION, TURN, RAW);
 *   <li>{@code progress}: {@link ProgressReader} (API_USAGE copies from {@code agent_progress});
 *   <li>{@code summary}, {@code cost-state} and the last-write-wins records: {@link BookkeepingReader}.
 * </ul>
 *
 * <p>Common to every event: {@code sessionId} (the line's, else the file's), {@code agentId} (the line's,
 * else from an {@code agent-<id>.jsonl} name), {@code project} = {@code cwd}, {@code ts} = the line's
 * {@code timestamp}; attributes {@code uuid}, {@code cwd}, {@code version}, {@code gitBranch},
 * {@code sidechain}. Each distinct absolute {@code cwd} is reported as a project.
 *
 * <p>Stateless: one shared instance serves every file on every thread.
 */
final class TranscriptParser implements LineParser {
  static final TranscriptParser INSTANCE = new TranscriptParser();

  private TranscriptParser() {}

  @Override
  public void parse(JsonNode node, ParseContext ctx) throws BadLineException {
    if (node == null || !node.isObject()) {
      throw new BadLineException("a transcript line must be a JSON object");
    }
    String type = JsonFields.text(node, "type");
    if (type == null || ("progress".equals(type) && !ProgressReader.isAgentProgress(node))) {
      return; // hook, bash and waiting progress: most lines of a busy transcript, and nothing to count
    }
    Consumer<TranscriptLine> reader = switch (type) {
      case "assistant" -> AssistantReader::read;
      case "user" -> UserReader::read;
      case "system" -> SystemReader::read;
      case "progress" -> ProgressReader::read;
      case "summary" -> BookkeepingReader::summary;
      case "cost-state" -> BookkeepingReader::costState;
      case "custom-title", "ai-title", "last-prompt", "agent-name", "mode", "permission-mode", "pr-link" ->
          l -> BookkeepingReader.record(l, type);
      default -> null; // snapshots, queue operations, attachments, and types we do not know yet
    };
    if (reader == null) {
      return;
    }
    TranscriptLine line = TranscriptLine.of(node, ctx);
    reader.accept(line);
    line.reportProject();
  }
}
