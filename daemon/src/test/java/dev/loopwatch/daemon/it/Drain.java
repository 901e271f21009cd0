package dev.loopwatch.daemon.it;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a running daemon to have journaled what was written, without failing on a timeout. */
final class Drain {
  private Drain() {}

  /**
   * Polls the journal until every line of {@code expected} is in it, or {@code atMost} passed. Does not
   * fail on a timeout: the caller's exactly-once assertion then says what is missing. Returns whether
   * everything arrived.
   */
  static boolean awaitCovered(Path journalDir, Supplier<Tally> tallies, Map<String, Integer> expected, Duration atMost) {
    Tally tally = tallies.get();
    try (JournalReader r = new JournalReader(journalDir)) {
      await("journal holds every line written")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            r.poll(tally);
            return tally.covers(expected);
          });
      return true;
    } catch (ConditionTimeoutException e) {
      System.out.println("[drain] not everything arrived within " + atMost + ": " + tally.report(expected).summary());
      return false;
    }
  }

  /**
   * Waits until the journal has not grown for {@code quiet} (at least one periodic rescan), so that a late
   * duplicate would be in it before the daemon is stopped and the journal checked.
   */
  static void awaitQuiet(Path journalDir, Duration quiet) {
    AtomicLong last = new AtomicLong(-1);
    try (JournalReader r = new JournalReader(journalDir)) {
      await("journal stays unchanged for " + quiet)
          .atMost(quiet.multipliedBy(10))
          .pollInterval(Duration.ofMillis(100))
          .during(quiet)
          .until(() -> {
            r.poll(e -> {});
            long docs = r.documents();
            return last.getAndSet(docs) == docs;
          });
    }
  }

  /** Every event of the journal, counted by a new tally. */
  static Tally readAll(Path journalDir, Supplier<Tally> tallies) {
    Tally t = tallies.get();
    JournalReader.readAll(journalDir, t);
    return t;
  }
}
