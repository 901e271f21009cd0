package dev.loopwatch.protocol;

/** A request or response that does not follow the protocol. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Protocol.ErrorCode code;

  public ProtocolException(Protocol.ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public Protocol.ErrorCode code() {
    return code;
  }
}
