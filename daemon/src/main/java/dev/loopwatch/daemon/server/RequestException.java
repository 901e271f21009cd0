package dev.loopwatch.daemon.server;

import dev.loopwatch.protocol.Protocol.ErrorCode;

/** A request the daemon answers with an error response (and keeps serving). */
final class RequestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  RequestException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
