package dev.loopwatch.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated, immutable daemon configuration (DESIGN §14). Built only by {@link ConfigLoader};
 * every path is absolute and every value is within its documented range.
 */
public record LoopwatchConfig(
    ClaudeConfig claude,
    ProjectsConfig projects,
    StateConfig state,
    IngestConfig ingest,
    JournalConfig journal,
    SocketConfig socket,
    HookConfig hook) {

  public LoopwatchConfig {
    Objects.requireNonNull(claude, "claude");
    Objects.requireNonNull(projects, "projects");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(hook, "hook");
  }

  /**
   * @param homes the Claude Code config directories to watch: {@code $CLAUDE_CONFIG_DIR} (a
   *     comma-separated list, as ccusage accepts) when set, else {@code claude.home} plus
   *     {@code $XDG_CONFIG_HOME/claude} when that exists (some 2025 builds wrote there)
   */
  public record ClaudeConfig(List<Path> homes) {
    public ClaudeConfig {
      homes = List.copyOf(homes);
    }
  }

  /**
   * @param roots directories whose children are projects: each child's .claude/ and .devloop/ are watched
   * @param discoverFromTranscripts watch {@code <cwd>/.claude} and {@code <cwd>/.devloop} of every cwd seen
   */
  public record ProjectsConfig(List<Path> roots, boolean discoverFromTranscripts) {
    public ProjectsConfig {
      roots = List.copyOf(roots);
    }
  }

  /** @param dir journal, checkpoints, dead letters and the store live here */
  public record StateConfig(Path dir) {
    public Path journalDir() {
      return dir.resolve("journal");
    }

    public Path ingestDir() {
      return dir.resolve("ingest");
    }

    /** The H2 database file, without its {@code .mv.db} suffix. */
    public Path storeFile() {
      return dir.resolve("store").resolve("loopwatch");
    }
  }

  /**
   * @param rescanInterval how often every watched root is re-listed to catch what the watcher missed
   * @param maxLineBytes longer lines are skipped and dead-lettered; the file keeps being tailed
   * @param batchMaxEvents events per journal append at most
   * @param batchMaxBytes bytes of source lines per journal append at most
   * @param workers threads reading and parsing files
   * @param maxOpenFiles open file handles kept for recently active files (so data written just before a
   *     rename or delete is still read)
   * @param idleCloseAfter a file unchanged this long has its handle closed
   * @param excludeDirs directory names never descended into under a watched root
   */
  public record IngestConfig(
      Duration rescanInterval,
      long maxLineBytes,
      int batchMaxEvents,
      long batchMaxBytes,
      int workers,
      int maxOpenFiles,
      Duration idleCloseAfter,
      List<String> excludeDirs) {
    public IngestConfig {
      excludeDirs = List.copyOf(excludeDirs);
    }
  }

  /** @param retentionDays whole daily cycles older than this are deleted */
  public record JournalConfig(int retentionDays) {}

  /**
   * @param path where the daemon listens (resolved: {@code socket.path}, else {@code $LOOPWATCH_SOCKET},
   *     else {@code $XDG_RUNTIME_DIR/loopwatch/loopwatch.sock}, else under the state dir)
   * @param maxRequestBytes longer request lines are answered with TOO_LARGE
   * @param readTimeout a client that sends nothing (or half a line) this long is disconnected
   */
  public record SocketConfig(Path path, int maxRequestBytes, Duration readTimeout) {}

  /**
   * @param sessionStartDeadline {@code loopwatch hook} gives up (silently, exit 0) after this on SessionStart
   * @param deadline ... and after this on every other hook event
   * @param maxContextChars the SessionStart context block is at most this long
   */
  public record HookConfig(Duration sessionStartDeadline, Duration deadline, int maxContextChars) {}
}
