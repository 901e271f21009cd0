package dev.loopwatch.daemon.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault cases 2 and 39 of tailing-anchors.md §4 with a real process: a large corpus is present before
 * the daemon starts; the daemon is SIGKILLed several times while it backfills (each time with part, never
 * all, of the corpus journaled) and restarted; after the last restart drains, every complete line is in
 * the journal exactly once, in file order, and no partial line was journaled.
 */
class KillDuringBackfillIT {
  private static final long MIN_BYTES = 100L << 20;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void genericCorpusSurvivesRepeatedKillNineDuringBackfill() throws IOException {
    Sandbox s = Sandbox.create(tmp);
    long t0 = System.nanoTime();
    Corpus c = Corpus.generic(s.claude.resolve("logs"), 200, 10, Math.max(MIN_BYTES, Corpus.scaled(150 << 20)), 42);
    System.out.printf("[backfill] generic corpus: %d files, %d lines, %d bytes, %d lines of 200 KiB, written in %d ms%n",
        c.files, c.lines(), c.bytes, c.bigLines, (System.nanoTime() - t0) / 1_000_000);
    assertTrue(c.bytes >= MIN_BYTES);

    killRepeatedlyThenDrain(s, c, Tally::perLine, new double[] {0.08, 0.20, 0.32, 0.45});

    Tally all = Tally.perLine();
    JournalReader.readAll(s.journalDir(), all);
    all.assertExactlyOnce(c.expected(), "generic corpus after 4 kills");
    assertFalse(Files.exists(s.deadLetters()) && Files.size(s.deadLetters()) > 0,
        () -> "no line was bad, truncated or dropped, yet dead letters were written:\n" + read(s.deadLetters()));
  }

  @Test
  void claudeTranscriptsSurviveRepeatedKillNineDuringBackfill() throws IOException {
    Sandbox s = Sandbox.create(tmp);
    Corpus c = Corpus.transcripts(s.claude, tmp.resolve("work"), 60, 6, Corpus.scaled(60 << 20), 7);
    System.out.printf("[backfill] transcript corpus: %d files, %d lines, %d bytes%n", c.files, c.lines(), c.bytes);

    killRepeatedlyThenDrain(s, c, KillDuringBackfillIT::transcriptTally, new double[] {0.10, 0.30, 0.50});

    Tally all = transcriptTally();
    JournalReader.readAll(s.journalDir(), all);
    all.assertExactlyOnce(c.expected(), "transcripts after 3 kills (by uuid; event ids unique)");
  }

  static Tally transcriptTally() {
    return Tally.perId(e -> Corpus.fromUuid(e.attr("uuid")));
  }

  /**
   * Starts the daemon, SIGKILLs it once the journal holds each fraction of the corpus's lines (checking
   * after each kill that it held some but not all), restarts it, and finally lets it drain and stops it.
   */
  private static void killRepeatedlyThenDrain(Sandbox s, Corpus c, Supplier<Tally> tallies, double[] killAt) {
    Tally live = tallies.get();
    long total = c.lines();
    List<String> kills = new ArrayList<>();
    long previous = 0;
    JournalReader.warmUp();
    try (JournalReader journal = new JournalReader(s.journalDir())) {
      for (double fraction : killAt) {
        long goal = (long) (total * fraction);
        try (DaemonProcess d = DaemonProcess.start(s)) {
          await("journal holds " + goal + " of " + total + " lines")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> {
                journal.poll(live);
                if (!d.isAlive()) {
                  throw new AssertionError("daemon died:\n" + String.join("\n", d.output()));
                }
                return live.lines() >= goal;
              });
          d.kill9();
          kills.add(String.format("%.0f%% after %d ms", 100.0 * fraction, d.millisSinceStart()));
        }
        journal.poll(live);
        long atKill = live.lines();
        System.out.printf("[backfill] SIGKILL with %d of %d lines journaled (%.1f%%)%n", atKill, total, 100.0 * atKill / total);
        assertTrue(atKill > previous, "the daemon made progress before kill " + kills.size() + ": " + atKill + " lines");
        assertTrue(atKill < total, "kill " + kills.size() + " came too late: the backfill had finished (" + kills + ")");
        previous = atKill;
      }
      try (DaemonProcess d = DaemonProcess.start(s)) {
        long t0 = System.nanoTime();
        System.out.println("[backfill] final run: " + d.awaitCaughtUp(Duration.ofSeconds(120)));
        // a fresh reader decides (the caller's exactly-once check reads the journal afresh too)
        Drain.awaitCovered(s.journalDir(), tallies, c.expected(), Duration.ofSeconds(60));
        System.out.printf("[backfill] drained after the last restart in %d ms (kills at %s)%n", (System.nanoTime() - t0) / 1_000_000, kills);
        d.stop();
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
