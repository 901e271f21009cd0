package dev.loopwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\", \"c\": {}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1E+3"), true, false), ((List<?>) m.get("a")).subList(0, 6));
    assertEquals("x\né\"", m.get("b"));
    assertEquals(Map.of(), m.get("c"));
    assertEquals(new BigDecimal("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
  }

  @Test
  void rejectsWhatIsNotJson() {
    for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1}x", "tru", "\"\\x\"", "01a", "\"a\nb\"", "{a:1}"}) {
      assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
    }
  }

  @Test
  void writesOneLineThatReadsBackTheSame() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "line1\nline2\t\"q\" \\ \u0001 \u2028");
    m.put("n", 42L);
    m.put("d", new BigDecimal("19.57124615"));
    m.put("list", List.of(true, Map.of("k", "v")));
    m.put("nothing", null);
    String line = Json.write(m);
    assertFalse(line.contains("\n"));
    assertEquals(m, Json.parse(line));
    assertTrue(Json.pretty(m).contains("\n  \"n\": 42"));
  }

  @Test
  void requestsAndResponsesRoundTrip() throws Exception {
    Request r = Request.of("7", "cost", Map.of("by", "day"));
    assertEquals(r, Request.decode(r.encode()));
    Response ok = Response.ok("7", Map.of("x", 1L));
    assertEquals(ok, Response.decode(ok.encode()));
    Response err = Response.error("7", Protocol.ErrorCode.BAD_ARGS, "by: expected day|week");
    assertEquals(err, Response.decode(err.encode()));
  }

  @Test
  void badRequestsSayWhy() {
    assertEquals(Protocol.ErrorCode.BAD_JSON, assertThrows(ProtocolException.class, () -> Request.decode("nope")).code());
    assertEquals(Protocol.ErrorCode.BAD_VERSION, assertThrows(ProtocolException.class, () -> Request.decode("{\"v\":9,\"op\":\"ping\"}")).code());
    assertEquals(Protocol.ErrorCode.BAD_ARGS, assertThrows(ProtocolException.class, () -> Request.decode("{\"op\":3}")).code());
    assertEquals(Protocol.ErrorCode.BAD_ARGS, assertThrows(ProtocolException.class, () -> Request.decode("{\"op\":\"cost\",\"args\":[]}")).code());
  }

  @Test
  void socketPathRules() {
    assertEquals("/run/user/1000/loopwatch/loopwatch.sock",
        SocketPaths.socket(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), "/home/u").toString());
    assertEquals("/x/y.sock", SocketPaths.socket(Map.of("LOOPWATCH_SOCKET", "/x/y.sock", "XDG_RUNTIME_DIR", "/r"), "/h").toString());
    assertEquals("/st/loopwatch/loopwatch.sock", SocketPaths.socket(Map.of("XDG_STATE_HOME", "/st"), "/h").toString());
    assertEquals("/home/u/.local/state/loopwatch/loopwatch.sock", SocketPaths.socket(Map.of("HOME", "/home/u"), "/x").toString());
  }
}
