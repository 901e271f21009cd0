package dev.loopwatch.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A request line: which op, with which args, under which id (echoed back). */
public record Request(int v, String id, String op, Map<String, Object> args) {
  public Request {
    Objects.requireNonNull(op, "op");
    args = args == null ? Map.of() : args;
  }

  public static Request of(String id, String op, Map<String, Object> args) {
    return new Request(Protocol.VERSION, id, op, args);
  }

  /** One line of NDJSON, without the newline. */
  public String encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", v);
    m.put("id", id);
    m.put("op", op);
    m.put("args", args);
    return Json.write(m);
  }

  /** Parses a request line; the error code says what was wrong with it. */
  @SuppressWarnings("unchecked")
  public static Request decode(String line) throws ProtocolException {
    Map<String, Object> m;
    try {
      m = Json.parseObject(line);
    } catch (Json.JsonException e) {
      throw new ProtocolException(Protocol.ErrorCode.BAD_JSON, "not a JSON object: " + e.getMessage());
    }
    Object v = m.get("v");
    if (v != null && !(v instanceof Long l && l == Protocol.VERSION)) {
      throw new ProtocolException(
          Protocol.ErrorCode.BAD_VERSION, "protocol version " + v + " is not supported (this daemon speaks " + Protocol.VERSION + ")");
    }
    Object id = m.get("id");
    Object op = m.get("op");
    if (!(op instanceof String)) {
      throw new ProtocolException(Protocol.ErrorCode.BAD_ARGS, "\"op\" must be a string naming one of " + Protocol.OPS);
    }
    Object args = m.get("args");
    if (args != null && !(args instanceof Map)) {
      throw new ProtocolException(Protocol.ErrorCode.BAD_ARGS, "\"args\" must be an object");
    }
    return new Request(Protocol.VERSION, id == null ? null : String.valueOf(id), (String) op, (Map<String, Object>) args);
  }
}
