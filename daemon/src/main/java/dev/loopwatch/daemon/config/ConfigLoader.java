package dev.loopwatch.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.protocol.SocketPaths;
import dev.loopwatch.daemon.config.LoopwatchConfig.ClaudeConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.HookConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.IngestConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.JournalConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.ProjectsConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.SocketConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.StateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads {@code loopwatch.yaml} into a {@link LoopwatchConfig}: built-in defaults for every key
 * (documented in {@code config/loopwatch.yaml}), environment overrides, and validation that names the
 * key of every problem. A missing default config file is not an error; a missing explicit one is.
 */
public final class ConfigLoader {
  static final Duration RESCAN_INTERVAL = Duration.ofSeconds(30);
  static final long MAX_LINE_BYTES = 16L << 20;
  static final int BATCH_MAX_EVENTS = 2000;
  static final long BATCH_MAX_BYTES = 4L << 20;
  static final int WORKERS = 2;
  static final int MAX_OPEN_FILES = 256;
  static final Duration IDLE_CLOSE_AFTER = Duration.ofMinutes(2);
  static final List<String> EXCLUDE_DIRS =
      List.of(
          "file-history", "plugins", "shell-snapshots", "paste-cache", "image-cache", "statsig",
          "todos", "debug", "tool-results", "node_modules", ".git");
  static final int RETENTION_DAYS = 365;
  static final int MAX_REQUEST_BYTES = 1 << 20;
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  static final Duration SESSION_START_DEADLINE = Duration.ofSeconds(1);
  static final Duration HOOK_DEADLINE = Duration.ofMillis(300);
  static final int MAX_CONTEXT_CHARS = 1500;

  private final Environment env;

  public ConfigLoader(Environment env) {
    this.env = env;
  }

  /** The configuration with no file at all. */
  public LoopwatchConfig defaults() {
    try {
      return fromYaml("", "(built-in defaults)");
    } catch (ConfigException e) {
      throw new IllegalStateException("built-in defaults must be valid", e);
    }
  }

  /**
   * Loads {@code file}, or the defaults when {@code file} is the default location and absent.
   *
   * @param explicit whether the user named the file ({@code --config}); then it must exist
   */
  public LoopwatchConfig load(Path file, boolean explicit) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      if (explicit) {
        throw new ConfigException(file.toString(), List.of("file does not exist"));
      }
      return defaults();
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
    return fromYaml(text, file.toString());
  }

  LoopwatchConfig fromYaml(String yaml, String source) throws ConfigException {
    JsonNode root = YamlMapping.parse(yaml, source);
    List<String> problems = new ArrayList<>();
    ConfigSection top = new ConfigSection("", root, problems);

    ConfigSection claude = top.section("claude");
    String claudeHome = claude.string("home", "~/.claude");
    claude.rejectUnknown();

    ConfigSection projects = top.section("projects");
    List<String> roots = projects.strings("roots", List.of());
    boolean discover = projects.bool("discoverFromTranscripts", true);
    projects.rejectUnknown();

    ConfigSection state = top.section("state");
    String stateDir = state.string("dir", "");
    state.rejectUnknown();

    ConfigSection ingest = top.section("ingest");
    IngestConfig ingestConfig =
        new IngestConfig(
            ingest.duration("rescanInterval", RESCAN_INTERVAL, Duration.ofSeconds(1), Duration.ofDays(1)),
            ingest.size("maxLineBytes", MAX_LINE_BYTES, 1L << 10, 256L << 20),
            ingest.integer("batchMaxEvents", BATCH_MAX_EVENTS, 1, 100_000),
            ingest.size("batchMaxBytes", BATCH_MAX_BYTES, 4L << 10, 64L << 20),
            ingest.integer("workers", WORKERS, 1, 16),
            ingest.integer("maxOpenFiles", MAX_OPEN_FILES, 8, 65_536),
            ingest.duration("idleCloseAfter", IDLE_CLOSE_AFTER, Duration.ofSeconds(1), Duration.ofDays(1)),
            ingest.strings("excludeDirs", EXCLUDE_DIRS));
    ingest.rejectUnknown();

    ConfigSection journal = top.section("journal");
    int retentionDays = journal.integer("retentionDays", RETENTION_DAYS, 1, 36_500);
    journal.rejectUnknown();

    ConfigSection socket = top.section("socket");
    String socketPath = socket.string("path", "");
    int maxRequestBytes = (int) socket.size("maxRequestBytes", MAX_REQUEST_BYTES, 1L << 10, 64L << 20);
    Duration readTimeout = socket.duration("readTimeout", READ_TIMEOUT, Duration.ofMillis(100), Duration.ofHours(1));
    socket.rejectUnknown();

    ConfigSection hook = top.section("hook");
    HookConfig hookConfig =
        new HookConfig(
            hook.duration("sessionStartDeadline", SESSION_START_DEADLINE, Duration.ofMillis(50), Duration.ofSeconds(30)),
            hook.duration("deadline", HOOK_DEADLINE, Duration.ofMillis(50), Duration.ofSeconds(30)),
            hook.integer("maxContextChars", MAX_CONTEXT_CHARS, 0, 10_000));
    hook.rejectUnknown();

    top.rejectUnknown();
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return new LoopwatchConfig(
        new ClaudeConfig(claudeHomes(claudeHome)),
        new ProjectsConfig(roots.stream().map(env::expand).toList(), discover),
        new StateConfig(stateDir.isBlank() ? env.stateHome().resolve("loopwatch") : env.expand(stateDir)),
        ingestConfig,
        new JournalConfig(retentionDays),
        new SocketConfig(
            socketPath.isBlank() ? SocketPaths.socket(env.variables(), env.home().toString()) : env.expand(socketPath),
            maxRequestBytes,
            readTimeout),
        hookConfig);
  }

  private List<Path> claudeHomes(String configured) {
    Set<Path> homes = new LinkedHashSet<>();
    if (env.claudeConfigDir() != null) {
      // DESIGN §14: $CLAUDE_CONFIG_DIR wins when set; ccusage also accepts a comma-separated list.
      for (String part : env.claudeConfigDir().split(",")) {
        if (!part.isBlank()) {
          homes.add(env.expand(part.trim()));
        }
      }
      return List.copyOf(homes);
    }
    homes.add(env.expand(configured));
    Path xdgClaude = env.configHome().resolve("claude");
    if (Files.isDirectory(xdgClaude.resolve("projects"))) {
      homes.add(xdgClaude);
    }
    return List.copyOf(homes);
  }
}
