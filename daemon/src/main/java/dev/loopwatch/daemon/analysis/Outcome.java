package dev.loopwatch.daemon.analysis;

/** How a session ended (DESIGN §8). */
public enum Outcome {
  /** The work got done: no failure or stop left unresolved. */
  SUCCESS,
  /** It got done, but not cleanly: failures, rejections or interruptions along the way. */
  PARTIAL,
  /** Something outside the agent stopped it: the user said no or interrupted, or the API refused. */
  BLOCKED,
  /** It ended on failures. */
  FAILED;

  /** Maps a declared outcome ({@code .session_outcome}, seed logs) onto the four; {@code null} if unknown. */
  public static Outcome parse(String declared) {
    if (declared == null) {
      return null;
    }
    String d = declared.strip().toLowerCase(java.util.Locale.ROOT);
    if (d.startsWith("success") || d.equals("ok") || d.equals("done") || d.equals("completed") || d.equals("pass")) {
      return SUCCESS;
    }
    if (d.startsWith("partial")) {
      return PARTIAL;
    }
    if (d.startsWith("block") || d.startsWith("reject") || d.startsWith("abandon") || d.startsWith("interrupt")) {
      return BLOCKED;
    }
    if (d.startsWith("fail") || d.startsWith("error") || d.equals("broken")) {
      return FAILED;
    }
    return null;
  }
}
