package dev.loopwatch.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Both wordings Claude Code uses for a call cancelled because a parallel sibling failed, and nothing else. */
class CancellationsTest {
  @Test
  void theSpotterSamplesWording() {
    // agent-a2898e3.jsonl: one Read of a missing file, seven siblings answered with this
    assertTrue(Cancellations.bySibling("<tool_use_error>Sibling tool call errored</tool_use_error>"));
    assertTrue(Cancellations.bySibling("Error: Sibling tool call errored"));
  }

  @Test
  void theLaterWording() {
    assertTrue(Cancellations.bySibling("<tool_use_error>Cancelled: parallel tool call Bash(git status) errored</tool_use_error>"));
    assertTrue(Cancellations.bySibling("Cancelled: parallel tool call Read(/a/b.ex) errored"));
  }

  @Test
  void realFailuresAreNotCancellations() {
    assertFalse(Cancellations.bySibling(null));
    assertFalse(Cancellations.bySibling("<tool_use_error>File does not exist.</tool_use_error>"));
    assertFalse(Cancellations.bySibling("Exit code 1\nSibling tool call errored"));
    assertFalse(Cancellations.bySibling("Cancelled by the user"));
    assertFalse(Cancellations.bySibling("[Request interrupted by user for tool use]"));
  }
}
