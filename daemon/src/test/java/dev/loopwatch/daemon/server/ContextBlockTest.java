package dev.loopwatch.daemon.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.store.query.FailureRow;
import dev.loopwatch.daemon.store.query.HotFile;
import dev.loopwatch.daemon.store.query.ProjectDigest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SessionStart context block: whole lines within the limit, and nothing rather than a bare heading. */
class ContextBlockTest {
  private static final Instant T = Instant.parse("2026-02-12T21:03:34Z");
  private static final ProjectDigest DIGEST =
      new ProjectDigest(
          "/home/marco/projects/spotter", 3, new BigDecimal("0.9288493"), new BigDecimal("16.5"),
          new ProjectDigest.LastSession("d6e0bada", T, "PARTIAL", "recovered after 2 tool errors", 2, new BigDecimal("0.31")),
          List.of(new FailureRow("sig", "Bash", "exit code 1", "cmd:mix", 4, 2, T, T, "boom")),
          List.of(new HotFile("lib/a.ex", 5, 40, 10, 2, T)));

  @Test
  void theFullBlock() {
    String block = ContextBlock.render(DIGEST, ZoneOffset.UTC, 1500);
    assertEquals(
        """
        Loopwatch notes for spotter:
        - 3 earlier sessions, $0.9288 in the last 7 days ($16.50 in all).
        - Last session 2026-02-12 21:03: PARTIAL (recovered after 2 tool errors), 2 tool errors, $0.3100.
        - Failures that keep repeating here (last 7 days):
          - Bash (cmd:mix): exit code 1 — 4x in 2 sessions
        - Files changed in several recent sessions: lib/a.ex (5 edits).
        """,
        block);
  }

  @Test
  void wholeLinesWithinTheLimit() {
    String full = ContextBlock.render(DIGEST, ZoneOffset.UTC, 1500);
    for (int max = 1; max <= full.length(); max++) {
      String cut = ContextBlock.render(DIGEST, ZoneOffset.UTC, max);
      assertTrue(cut.length() <= max, max + ": " + cut);
      assertTrue(full.startsWith(cut), max + ": a prefix of the full block: " + cut);
      assertTrue(cut.isEmpty() || cut.endsWith("\n"), max + ": whole lines only: [" + cut + "]");
      assertTrue(cut.isEmpty() || cut.lines().count() >= 2, max + ": never a heading alone: [" + cut + "]");
    }
  }

  @Test
  void nothingToSay() {
    ProjectDigest empty = new ProjectDigest("/x", 0, BigDecimal.ZERO, BigDecimal.ZERO, null, List.of(), List.of());
    assertEquals("", ContextBlock.render(empty, ZoneOffset.UTC, 1500));
    assertEquals("", ContextBlock.render(DIGEST, ZoneOffset.UTC, 0));
  }
}
