package dev.loopwatch.daemon.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One isolated world for a daemon child process, all under a temporary directory: {@code home/} (with
 * {@code home/.claude}, the watched root), {@code state/} ($XDG_STATE_HOME), {@code config/}
 * ($XDG_CONFIG_HOME), {@code run/} ($XDG_RUNTIME_DIR) and the config file {@code lw.yaml}.
 */
final class Sandbox {
  final Path root;
  final Path home;
  final Path claude;
  final Path stateHome;
  final Path configHome;
  final Path runtimeDir;
  final Path configFile;

  private Sandbox(Path root) {
    this.root = root;
    this.home = root.resolve("home");
    this.claude = home.resolve(".claude");
    this.stateHome = root.resolve("state");
    this.configHome = root.resolve("config");
    this.runtimeDir = root.resolve("run");
    this.configFile = root.resolve("lw.yaml");
  }

  /**
   * Creates the directories and a config file with a 1 s rescan interval; {@code ingestYaml} adds keys
   * to the {@code ingest:} section (each line indented by two spaces), {@code otherYaml} whole sections.
   */
  static Sandbox create(Path root, String ingestYaml, String otherYaml) {
    Sandbox s = new Sandbox(root);
    try {
      Files.createDirectories(s.claude);
      Files.createDirectories(s.stateHome);
      Files.createDirectories(s.configHome);
      Files.createDirectories(s.runtimeDir);
      String ingest = ingestYaml.contains("rescanInterval") ? ingestYaml : "  rescanInterval: 1s\n" + ingestYaml;
      Files.writeString(s.configFile, "ingest:\n" + ingest + otherYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  static Sandbox create(Path root) {
    return create(root, "", "");
  }

  /** The daemon's own state directory ($XDG_STATE_HOME/loopwatch). */
  Path stateDir() {
    return stateHome.resolve("loopwatch");
  }

  Path journalDir() {
    return stateDir().resolve("journal");
  }

  Path deadLetters() {
    return stateDir().resolve("dead-letters.jsonl");
  }

  Path checkpoints() {
    return stateDir().resolve("ingest").resolve("checkpoints.json");
  }
}
