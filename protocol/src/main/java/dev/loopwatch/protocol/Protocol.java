package dev.loopwatch.protocol;

import java.util.List;

/**
 * The daemon's socket protocol (DESIGN §13): one JSON object per line, UTF-8, over a Unix stream
 * socket. A request is {@code {"v":1,"id":"…","op":"…","args":{…}}}; the answer is
 * {@code {"v":1,"id":"…","ok":true,"result":…}} or {@code {"v":1,"id":"…","ok":false,"error":{"code":"…","message":"…"}}}.
 * Ops are named like the client's commands and take its flags as args, so any language (or
 * {@code socat}) can ask what the client asks.
 */
public final class Protocol {
  /** The protocol version this build speaks. */
  public static final int VERSION = 1;

  /** Requests larger than this (bytes, newline excluded) are refused with {@link ErrorCode#TOO_LARGE}. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  /** Every op the daemon answers. */
  public static final List<String> OPS =
      List.of("ping", "status", "sessions", "session", "cost", "tools", "failures", "files", "rebuild", "hook");

  /** Why a request failed. */
  public enum ErrorCode {
    /** The line is not a JSON object. */
    BAD_JSON,
    /** The line is longer than the daemon accepts. */
    TOO_LARGE,
    /** The request's {@code v} is not one this daemon speaks. */
    BAD_VERSION,
    UNKNOWN_OP,
    /** An argument is missing, unknown or of the wrong form; the message names it. */
    BAD_ARGS,
    /** The thing asked about does not exist (a session id). */
    NOT_FOUND,
    /** The peer is another user. */
    FORBIDDEN,
    /** The daemon is starting or stopping, or the store is not open. */
    UNAVAILABLE,
    /** The daemon failed; its log has the details. */
    INTERNAL
  }

  private Protocol() {}
}
