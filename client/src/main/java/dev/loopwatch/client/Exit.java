package dev.loopwatch.client;

/** The client's exit statuses (DESIGN §13): scripts tell "the daemon said no" from "no daemon". */
final class Exit {
  static final int OK = 0;
  /** The daemon answered with an error, or a local file could not be changed (install-hooks). */
  static final int ERROR = 1;
  /** Unknown command or option, missing or malformed value. */
  static final int USAGE = 2;
  /** No daemon at the socket, or it did not answer. */
  static final int UNREACHABLE = 3;

  private Exit() {}
}
