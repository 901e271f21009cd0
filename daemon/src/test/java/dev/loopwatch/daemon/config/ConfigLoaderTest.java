package dev.loopwatch.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  Environment env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("HOME", tmp.resolve("home").toString());
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Environment.from(m, "/nonexistent");
  }

  @Test
  void defaultsFollowTheEnvironment() {
    LoopwatchConfig c = new ConfigLoader(env()).defaults();
    assertEquals(List.of(tmp.resolve("home/.claude")), c.claude().homes());
    assertEquals(tmp.resolve("home/.local/state/loopwatch"), c.state().dir());
    assertEquals(Duration.ofSeconds(30), c.ingest().rescanInterval());
    assertEquals(16L << 20, c.ingest().maxLineBytes());
    assertEquals(365, c.journal().retentionDays());
    assertTrue(c.projects().discoverFromTranscripts());
  }

  @Test
  void xdgAndClaudeVariablesWin() {
    LoopwatchConfig c =
        new ConfigLoader(env("XDG_STATE_HOME", tmp.resolve("st").toString(), "CLAUDE_CONFIG_DIR", "/a/b, /c/d"))
            .defaults();
    assertEquals(tmp.resolve("st/loopwatch"), c.state().dir());
    assertEquals(List.of(Path.of("/a/b"), Path.of("/c/d")), c.claude().homes());
  }

  @Test
  void relativeXdgValuesAreIgnoredAsTheSpecSays() {
    LoopwatchConfig c = new ConfigLoader(env("XDG_STATE_HOME", "relative/dir")).defaults();
    assertEquals(tmp.resolve("home/.local/state/loopwatch"), c.state().dir());
  }

  /** The documented file must say exactly what the built-in defaults are, so the docs cannot rot. */
  @Test
  void shippedConfigFileEqualsTheBuiltInDefaults() throws Exception {
    Path shipped = Path.of(System.getProperty("loopwatch.repo", "..")).resolve("config/loopwatch.yaml");
    ConfigLoader loader = new ConfigLoader(env());
    assertEquals(loader.defaults(), loader.load(shipped, true));
  }

  @Test
  void valuesAreTypedAndPathsExpanded() throws Exception {
    LoopwatchConfig c =
        new ConfigLoader(env())
            .fromYaml(
                """
                claude: { home: ~/alt-claude }
                projects: { roots: [~/work, /srv/code], discoverFromTranscripts: false }
                state: { dir: ~/state }
                ingest: { rescanInterval: 5s, maxLineBytes: 512KiB, batchMaxBytes: 1048576, idleCloseAfter: 1h }
                journal: { retentionDays: 30 }
                """,
                "test");
    assertEquals(List.of(tmp.resolve("home/alt-claude")), c.claude().homes());
    assertEquals(List.of(tmp.resolve("home/work"), Path.of("/srv/code")), c.projects().roots());
    assertFalse(c.projects().discoverFromTranscripts());
    assertEquals(tmp.resolve("home/state"), c.state().dir());
    assertEquals(Duration.ofSeconds(5), c.ingest().rescanInterval());
    assertEquals(512 << 10, c.ingest().maxLineBytes());
    assertEquals(1 << 20, c.ingest().batchMaxBytes());
    assertEquals(Duration.ofHours(1), c.ingest().idleCloseAfter());
    assertEquals(30, c.journal().retentionDays());
  }

  @Test
  void everyProblemNamesItsKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new ConfigLoader(env())
                    .fromYaml(
                        """
                        ingest:
                          rescanIntervall: 30s
                          maxLineBytes: huge
                          workers: 0
                          rescanInterval: 30
                        journal: { retentionDays: "x" }
                        projects: { roots: [1] }
                        sockets: {}
                        """,
                        "test.yaml"));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("ingest.rescanIntervall: unknown key"), all);
    assertTrue(all.contains("ingest.maxLineBytes: expected a size"), all);
    assertTrue(all.contains("ingest.workers: 0 is out of range [1, 16]"), all);
    assertTrue(all.contains("ingest.rescanInterval: expected a duration"), all);
    assertTrue(all.contains("journal.retentionDays: expected a whole number, got 'x'"), all);
    assertTrue(all.contains("projects.roots[0]: expected a non-empty string"), all);
    assertTrue(all.contains("sockets: unknown key"), all);
    assertEquals(7, e.problems().size(), all);
    assertTrue(e.getMessage().startsWith("invalid configuration test.yaml"));
  }

  @Test
  void brokenYamlSaysWhere() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> new ConfigLoader(env()).fromYaml("ingest: [\n  x: 1\n", "f"));
    assertTrue(e.problems().get(0).startsWith("not valid YAML"), e.getMessage());
  }

  @Test
  void aKeyWrittenTwiceIsRejectedNotSilentlyOverridden() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> new ConfigLoader(env()).fromYaml("ingest:\n  batchMaxEvents: 10\n  batchMaxEvents: 20\n", "f"));
    assertTrue(e.problems().get(0).contains("Duplicate field 'batchMaxEvents'"), e.getMessage());
    assertTrue(e.problems().get(0).contains("line 3"), e.getMessage());
  }

  @Test
  void missingDefaultFileMeansDefaultsButAMissingExplicitFileIsAnError() throws Exception {
    ConfigLoader loader = new ConfigLoader(env());
    assertEquals(loader.defaults(), loader.load(tmp.resolve("none.yaml"), false));
    assertThrows(ConfigException.class, () -> loader.load(tmp.resolve("none.yaml"), true));
  }

  @Test
  void watcherKeepsTheLastGoodConfigurationOnABadEdit() throws IOException {
    Path file = tmp.resolve("lw.yaml");
    Files.writeString(file, "journal: { retentionDays: 10 }\n");
    List<LoopwatchConfig> applied = new java.util.ArrayList<>();
    ConfigLoader loader = new ConfigLoader(env());
    ConfigWatcher<LoopwatchConfig> w = new ConfigWatcher<>(file, f -> loader.load(f, false), Duration.ofDays(1), applied::add);
    w.start();
    try {
      Files.writeString(file, "journal: { retentionDays: -1 }\n");
      w.check();
      assertEquals(List.of(), applied, "a bad edit is not applied");
      Files.writeString(file, "journal: { retentionDays: 20 }\n");
      w.check();
      assertEquals(1, applied.size());
      assertEquals(20, applied.get(0).journal().retentionDays());
    } finally {
      w.close();
    }
  }
}
