package dev.loopwatch.daemon.analysis;

import java.util.regex.Pattern;

/**
 * Tool results that are no failure of their own tool. When one call of a parallel batch fails, Claude Code
 * cancels its siblings and answers each with an error: {@code <tool_use_error>Sibling tool call
 * errored</tool_use_error>} (2.1.x until about 2.1.150), later {@code Cancelled: parallel tool call
 * Bash(…) errored}. Those tools never ran: counting them as failures multiplies one failure by the size
 * of the batch (one missing file read by a subagent became eight "failures" and an error storm in the
 * spotter sample), and gives "Sibling tool call errored" a failure signature of its own.
 */
public final class Cancellations {
  private static final Pattern SIBLING =
      Pattern.compile(
          "\\s*(?:<tool_use_error>)?\\s*(?:Error:\\s*)?(?:Sibling tool call errored|Cancelled: parallel tool call\\b[^\\n]*\\berrored)");

  private Cancellations() {}

  /** Whether a failed result's error says the call was cancelled because a parallel sibling failed. */
  public static boolean bySibling(String error) {
    return error != null && SIBLING.matcher(error).lookingAt();
  }
}
