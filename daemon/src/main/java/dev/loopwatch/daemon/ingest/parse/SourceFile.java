package dev.loopwatch.daemon.ingest.parse;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file being read, with what its location tells: its kind and, for Claude Code transcripts, the
 * session id in its name and whether it is a subagent's transcript.
 *
 * @param path the file
 * @param kind what the file is
 * @param root the watched root the file was found under (Claude home, a project's .claude or .devloop)
 */
public record SourceFile(Path path, SourceKind kind, Path root) {

  public SourceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(root, "root");
  }

  /** The file name without its last extension ({@code <sessionId>} for a main transcript). */
  public String stem() {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** {@code agent-<id>.jsonl} files hold a subagent's (sidechain) transcript, in either layout. */
  public boolean isSubagentTranscript() {
    return kind == SourceKind.CLAUDE_TRANSCRIPT && stem().startsWith("agent-");
  }

  /** The agent id encoded in a subagent transcript's name, or {@code null}. */
  public String agentIdFromName() {
    return isSubagentTranscript() ? stem().substring("agent-".length()) : null;
  }
}
