package dev.loopwatch.daemon.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault cases 4 and 23 of tailing-anchors.md §4 with a real process and both ingest workers busy: 300
 * lines are appended and the file is renamed at once (so the daemon has them unread when it learns of
 * the rename), 25 times, each time to a new name. The old inode must be finished exactly once, whether
 * the new name is a rotated name ({@code rot.jsonl.N}) or a source itself ({@code rot-N.jsonl}).
 */
class RenameUnderLoadIT {
  private static final int GENERATIONS = 25;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void renamedToRotatedNamesRightAfterABurstEachLineIsJournaledOnce() throws IOException {
    renameAfterBursts(g -> "rot.jsonl." + g);
  }

  /**
   * The worker that handles {@code rot.jsonl} finishes the old inode through its open handle while the
   * other worker, woken by the CREATE of {@code rot-N.jsonl}, would read the same stream from the same
   * committed offset (a bug this test found: 6,600 of 7,760 lines twice over 25 renames); the per-identity
   * lock of a worker's turn makes the second wait and then continue from the new checkpoint.
   */
  @Test
  void renamedToAnotherSourceNameRightAfterABurstEachLineIsJournaledOnce() throws IOException {
    renameAfterBursts(g -> "rot-" + g + ".jsonl");
  }

  /**
   * As above, with logrotate's numbering ({@code rot.jsonl.1 → .2 …, rot.jsonl → rot.jsonl.1}): the
   * worker woken by {@code rot.jsonl.1} finds the previous generation tracked there, follows it to
   * {@code .2}, and must not read the new occupant of {@code .1} while the other worker finishes it.
   */
  @Test
  void renamedLogrotateStyleRightAfterABurstEachLineIsJournaledOnce() throws IOException {
    renameAfterBursts(g -> "rot.jsonl.1", true);
  }

  private void renameAfterBursts(IntFunction<String> renamedTo) throws IOException {
    renameAfterBursts(renamedTo, false);
  }

  private void renameAfterBursts(IntFunction<String> renamedTo, boolean shift) throws IOException {
    Sandbox s = Sandbox.create(tmp);
    Path logs = Files.createDirectories(s.claude.resolve("logs"));
    Path rot = logs.resolve("rot.jsonl");
    Corpus c = new Corpus();
    Tally live = Tally.perLine();
    JournalReader.warmUp();
    c.appendLines(rot, "g0", 10, 80);
    try (DaemonProcess d = DaemonProcess.start(s); JournalReader r = new JournalReader(s.journalDir())) {
      d.awaitCaughtUp(Duration.ofSeconds(30));
      for (int g = 0; g < GENERATIONS; g++) {
        String gen = "g" + g;
        // the daemon knows this generation (a rename of a file it never saw is another case)
        await("generation " + g + " seen").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
          r.poll(live);
          return live.lines(gen) >= 10;
        });
        c.appendLines(rot, gen, 300, 80); // still unread when the file is renamed
        for (int k = shift ? g : 0; k >= 1; k--) {
          Files.move(logs.resolve("rot.jsonl." + k), logs.resolve("rot.jsonl." + (k + 1)));
        }
        Files.move(rot, logs.resolve(renamedTo.apply(g + 1)));
        c.appendLines(rot, "g" + (g + 1), 10, 80);
      }
      Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(30));
      Drain.awaitQuiet(s.journalDir(), Duration.ofMillis(1500));
      d.stop();
    }
    Drain.readAll(s.journalDir(), Tally::perLine)
        .assertExactlyOnce(c.expected(), GENERATIONS + " renames to " + renamedTo.apply(1) + (shift ? " (older ones shifted)" : "…")
            + " right after a burst");
  }
}
