package dev.loopwatch.daemon.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restart cases that need a real process (tailing-anchors.md §4): clean SIGTERM stops (cases 1, 39),
 * rotations while the daemon is down (case 5) or frozen with SIGSTOP (case 35), a damaged checkpoint
 * snapshot (case 29) and a deleted journal. Each ends with every line journaled exactly once.
 */
class RestartCasesIT {
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(1500); // longer than one periodic rescan (1 s)

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  Sandbox s;
  Path logs;
  final Corpus c = new Corpus();

  @BeforeEach
  void setUp() throws IOException {
    s = Sandbox.create(tmp);
    logs = s.claude.resolve("logs");
    Files.createDirectories(logs);
  }

  @Test
  void sigtermStopsWithin10sLeavesASnapshotAndTheNextStartResumesFromIt() throws IOException {
    Path app = logs.resolve("app.jsonl");
    c.appendLines(app, "app", 2000, 120);
    for (int i = 0; i < 3; i++) {
      c.appendLines(logs.resolve("other-" + i + ".jsonl"), "other-" + i, 300, 80);
    }
    runUntilDrained(false);
    JsonNode snapshot = new ObjectMapper().readTree(s.checkpoints().toFile());
    assertTrue(snapshot.path("index").asLong(-1) >= 0, "checkpoint snapshot after a clean stop: " + snapshot);

    // case 1: appended and created while the daemon was down
    c.appendLines(app, "app", 500, 120);
    c.appendLines(logs.resolve("new.jsonl"), "new", 50, 80);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      String restored = d.awaitLine("ingest - restored", Duration.ofSeconds(30));
      assertTrue(restored.contains("restored 4 file checkpoints") && restored.contains("(0 journal documents replayed"),
          "the snapshot written at the clean stop covers the whole journal: " + restored);
      drainAndStop(d, true);
    }
    assertExactlyOnce("after a clean stop and appends while down");
  }

  @Test
  void sigtermDuringBackfillStopsWithin10sAndTheRestartIsExactlyOnce() {
    Corpus big = Corpus.generic(logs, 40, 4, Corpus.scaled(40 << 20), 3);
    long total = big.lines();
    JournalReader.warmUp();
    Tally live = Tally.perLine();
    try (JournalReader r = new JournalReader(s.journalDir()); DaemonProcess d = DaemonProcess.start(s)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
        r.poll(live);
        return live.lines() >= total / 5;
      });
      d.stop(); // asserts exit status 143 (or 0) within 10 s
    }
    Tally atStop = Drain.readAll(s.journalDir(), Tally::perLine);
    Tally.Report partial = atStop.report(big.expected());
    assertTrue(atStop.lines() < total, "SIGTERM came after the backfill had finished");
    assertEquals(0, partial.duplicated() + partial.reordered() + partial.unexpected(), "at the stop: " + partial.summary());
    System.out.printf("[restart] SIGTERM with %d of %d lines journaled%n", atStop.lines(), total);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      String restored = d.awaitLine("ingest - restored", Duration.ofSeconds(30));
      assertTrue(restored.contains("(0 journal documents replayed"), "snapshot current after SIGTERM: " + restored);
      d.awaitCaughtUp(Duration.ofSeconds(60));
      Drain.awaitCovered(s.journalDir(), Tally::perLine, big.expected(), DRAIN);
      d.stop();
    }
    Drain.readAll(s.journalDir(), Tally::perLine).assertExactlyOnce(big.expected(), "after SIGTERM during the backfill");
  }

  /**
   * Case 5: rotated three times while the daemon is down, to names that are sources themselves
   * ({@code app.jsonl → app-1.jsonl → app-2.jsonl …}): the known generation is finished from its offset
   * under its new name, the two it never saw are read from 0.
   */
  @Test
  void threeRotationsWhileDownToSourceNamesAreEachReadOnce() {
    Path app = logs.resolve("app.jsonl");
    c.appendLines(app, "gen0", 100, 100);
    runUntilDrained(false);
    c.appendLines(app, "gen0", 20, 100); // not read yet when the file is rotated
    for (int g = 1; g <= 3; g++) {
      rotate(app, 3, k -> "app-" + k + ".jsonl");
      c.appendLines(app, "gen" + g, 40, 100);
    }
    runUntilDrained(true);
    assertExactlyOnce("after 3 rotations to source names while down");
  }

  /**
   * Case 5 as logrotate does it: rotated three times while the daemon is down, to {@code app.jsonl.1},
   * {@code .2}, {@code .3} (not sources themselves). The generation the daemon knew (now {@code .3}) is
   * finished from its offset; the two it never saw ({@code .2}, {@code .1}) must be read from 0.
   */
  @Test
  void threeRotationsWhileDownAreEachReadOnce() {
    Path app = logs.resolve("app.jsonl");
    c.appendLines(app, "gen0", 100, 100);
    runUntilDrained(false);
    c.appendLines(app, "gen0", 20, 100); // not read yet when the file is rotated
    for (int g = 1; g <= 3; g++) {
      rotate(app, 3, k -> "app.jsonl." + k);
      c.appendLines(app, "gen" + g, 40, 100);
    }
    runUntilDrained(true);
    assertExactlyOnce("after 3 rotations while down");
  }

  /**
   * Case 35, one generation: the daemon is frozen (SIGSTOP) while lines are appended and the file is
   * rotated once, then thawed: the old file is finished from its open handle, the new one read from 0.
   */
  @Test
  void oneRotationWhileFrozenWithSigstopIsReadOnce() {
    rotateWhileFrozen(1);
    assertExactlyOnce("after a rotation while frozen");
  }

  /** Case 35: frozen (SIGSTOP) while the file is rotated five times ({@code app.jsonl.1} … {@code .5}). */
  @Test
  void fiveRotationsWhileFrozenWithSigstopAreEachReadOnce() {
    rotateWhileFrozen(5);
    assertExactlyOnce("after 5 rotations while frozen");
  }

  private void rotateWhileFrozen(int rotations) {
    Path app = logs.resolve("app.jsonl");
    c.appendLines(app, "gen0", 100, 100);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      d.awaitCaughtUp(Duration.ofSeconds(30));
      Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), DRAIN);
      d.signal("STOP");
      try {
        // kill(2) only queues SIGSTOP: on a busy machine the process may still run for a moment
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
            .until(() -> d.state().startsWith("T"));
        c.appendLines(app, "gen0", 20, 100);
        for (int g = 1; g <= rotations; g++) {
          rotate(app, rotations, k -> "app.jsonl." + k);
          c.appendLines(app, "gen" + g, 40, 100);
        }
        assertTrue(d.state().startsWith("T"), "the daemon was frozen while the file rotated: " + d.state());
      } finally {
        d.signal("CONT");
      }
      drainAndStop(d, true);
    }
  }

  /** Unreadable (cut in the middle of a write), missing, or an older copy than the journal's end. */
  enum Damage { TRUNCATED, DELETED, STALE }

  /** Case 29: the checkpoint snapshot is damaged, deleted or old while the daemon is down. */
  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedCheckpointSnapshotIsRebuiltFromTheJournal(Damage damage) throws IOException {
    Path app = logs.resolve("app.jsonl");
    Path b = logs.resolve("b.jsonl");
    c.appendLines(app, "app", 300, 100);
    c.appendLines(b, "b", 100, 100);
    runUntilDrained(false);
    byte[] old = Files.readAllBytes(s.checkpoints());
    c.appendLines(logs.resolve("c.jsonl"), "c", 50, 100);
    if (damage == Damage.STALE) {
      c.appendLines(app, "app", 200, 100);
      runUntilDrained(false); // the journal moves on past the saved snapshot
    }
    byte[] current = Files.readAllBytes(s.checkpoints());
    switch (damage) {
      case TRUNCATED -> Files.write(s.checkpoints(), Arrays.copyOf(current, current.length / 2));
      case DELETED -> Files.delete(s.checkpoints());
      case STALE -> Files.write(s.checkpoints(), old);
    }
    c.appendLines(app, "app", 100, 100);
    c.appendLines(b, "b", 10, 100);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      String restored = d.awaitLine("ingest - restored", Duration.ofSeconds(30));
      int known = damage == Damage.STALE ? 3 : 2;
      assertTrue(restored.contains("restored " + known + " file checkpoints"), "positions rebuilt from the journal: " + restored);
      if (damage == Damage.TRUNCATED) {
        assertNotNull(d.line("checkpoint snapshot"), "the damaged snapshot is reported");
      }
      drainAndStop(d, true);
    }
    assertExactlyOnce("after the snapshot was " + damage);
  }

  /**
   * The journal directory is deleted while the daemon is down (the checkpoint snapshot stays): the
   * positions it names are gone with it, so every file is read again, once, into the new journal.
   */
  @Test
  void deletedJournalMeansEveryFileIsReadAgainOnceIntoTheNewJournal() throws IOException {
    Path app = logs.resolve("app.jsonl");
    c.appendLines(app, "app", 300, 100);
    c.appendLines(logs.resolve("b.jsonl"), "b", 100, 100);
    runUntilDrained(false);
    deleteTree(s.journalDir());
    c.appendLines(app, "app", 50, 100);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      d.awaitLine("the journal does not hold the checkpoints' position", Duration.ofSeconds(30));
      drainAndStop(d, true);
    }
    assertExactlyOnce("in the new journal");
  }

  // --- helpers ---------------------------------------------------------------------------------------

  /** Starts the daemon, waits until it journaled everything written, stops it with SIGTERM. */
  private void runUntilDrained(boolean quiet) {
    try (DaemonProcess d = DaemonProcess.start(s)) {
      drainAndStop(d, quiet);
    }
  }

  /** With {@code quiet}, also waits for a rescan to pass without new journal documents (late duplicates). */
  private void drainAndStop(DaemonProcess d, boolean quiet) {
    d.awaitCaughtUp(Duration.ofSeconds(60));
    if (Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), DRAIN) && quiet) {
      Drain.awaitQuiet(s.journalDir(), QUIET);
    }
    d.stop();
  }

  private void assertExactlyOnce(String what) {
    Drain.readAll(s.journalDir(), Tally::perLine).assertExactlyOnce(c.expected(), what);
  }

  /** logrotate without copytruncate: name(k) → name(k+1) for the kept names, then f → name(1). */
  static void rotate(Path f, int keep, IntFunction<String> name) {
    try {
      for (int k = keep - 1; k >= 1; k--) {
        Path from = f.resolveSibling(name.apply(k));
        if (Files.exists(from)) {
          Files.move(from, f.resolveSibling(name.apply(k + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(f, f.resolveSibling(name.apply(1)), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
