package dev.loopwatch.daemon;

import static org.awaitility.Awaitility.await;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.ConfigLoader;
import dev.loopwatch.daemon.config.Environment;
import dev.loopwatch.daemon.config.LoopwatchConfig;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.journal.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real daemon, in this JVM, with every path under one temporary directory: {@code home/} (with
 * {@code home/.claude}), {@code state/}, {@code config/}. Extra YAML is merged into the config file.
 */
public final class TestDaemon implements AutoCloseable {
  public final Path root;
  public final Path home;
  public final Path claude;
  public final Path stateDir;
  public final Path configFile;
  private final Environment env;
  private Daemon daemon;

  public TestDaemon(Path root, String extraYaml) {
    this.root = root;
    this.home = root.resolve("home");
    this.claude = home.resolve(".claude");
    this.stateDir = root.resolve("state");
    this.configFile = root.resolve("config").resolve("loopwatch").resolve("loopwatch.yaml");
    this.env =
        Environment.from(
            Map.of(
                "HOME", home.toString(),
                "XDG_STATE_HOME", stateDir.toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(),
                "XDG_RUNTIME_DIR", root.resolve("run").toString()),
            home.toString());
    try {
      Files.createDirectories(claude);
      Files.createDirectories(configFile.getParent());
      Files.writeString(configFile, "ingest:\n  rescanInterval: 1s\n" + extraYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestDaemon(Path root) {
    this(root, "");
  }

  public LoopwatchConfig config() {
    try {
      return new ConfigLoader(env).load(configFile, true);
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path journalDir() {
    return config().state().journalDir();
  }

  public Path deadLetters() {
    return config().state().dir().resolve("dead-letters.jsonl");
  }

  /**
   * Copies the sample transcripts into its Claude home, starts it and waits until every sample is
   * ingested and projected.
   */
  public TestDaemon startOnSamples() {
    Samples.installTranscripts(claude);
    start();
    // backfill() == null: the "store caught up" moment, after which answers carry no "not complete" mark
    await().atMost(Duration.ofSeconds(60)).until(() -> quiet() && daemon.projector().caughtUp() && daemon.backfill() == null);
    return this;
  }

  public TestDaemon start() {
    daemon =
        new Daemon(
            config(), new ConfigLoader(env), configFile, configFile.resolveSibling("pricing.yaml"), "test-machine",
            Clock.systemUTC());
    daemon.start();
    return this;
  }

  public Daemon daemon() {
    return daemon;
  }

  public void stop() {
    if (daemon != null) {
      daemon.close();
      daemon = null;
    }
  }

  /** True when nothing is queued for reading and the journal writer has nothing waiting. */
  public boolean quiet() {
    return daemon.ingest().isCaughtUp() && daemon.ingest().backlog() == 0 && daemon.journal().backlog() == 0;
  }

  /** Every event in the journal (from the running daemon, or by opening the journal when stopped). */
  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    if (daemon != null) {
      daemon.journal().replay(-1, true, e -> out.addAll(e.events()));
      return out;
    }
    try (Journal j = new Journal(journalDir())) {
      j.start();
      j.replay(-1, true, e -> out.addAll(e.events()));
    }
    return out;
  }

  @Override
  public void close() {
    stop();
  }
}
