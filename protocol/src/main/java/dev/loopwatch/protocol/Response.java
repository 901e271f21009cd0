package dev.loopwatch.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/** A response line: the result, or an error with a code and a message. */
public record Response(String id, boolean ok, Object result, Protocol.ErrorCode errorCode, String errorMessage) {

  public static Response ok(String id, Object result) {
    return new Response(id, true, result, null, null);
  }

  public static Response error(String id, Protocol.ErrorCode code, String message) {
    return new Response(id, false, null, code, message);
  }

  public String encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", Protocol.VERSION);
    m.put("id", id);
    m.put("ok", ok);
    if (ok) {
      m.put("result", result);
    } else {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("code", errorCode.name());
      e.put("message", errorMessage);
      m.put("error", e);
    }
    return Json.write(m);
  }

  /** Parses a response line (the client's side). */
  @SuppressWarnings("unchecked")
  public static Response decode(String line) throws ProtocolException {
    Map<String, Object> m;
    try {
      m = Json.parseObject(line);
    } catch (Json.JsonException e) {
      throw new ProtocolException(Protocol.ErrorCode.BAD_JSON, "the daemon's answer is not JSON: " + e.getMessage());
    }
    String id = m.get("id") == null ? null : String.valueOf(m.get("id"));
    if (Boolean.TRUE.equals(m.get("ok"))) {
      return ok(id, m.get("result"));
    }
    Object e = m.get("error");
    if (e instanceof Map<?, ?> err) {
      Protocol.ErrorCode code;
      try {
        code = Protocol.ErrorCode.valueOf(String.valueOf(err.get("code")));
      } catch (IllegalArgumentException unknown) {
        code = Protocol.ErrorCode.INTERNAL;
      }
      return error(id, code, String.valueOf(((Map<String, Object>) err).get("message")));
    }
    throw new ProtocolException(Protocol.ErrorCode.BAD_JSON, "the daemon's answer has neither result nor error");
  }
}
