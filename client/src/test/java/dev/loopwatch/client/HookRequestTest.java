package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hook request fits the daemon's limit, cutting long strings only as much as needed. */
class HookRequestTest {
  private static Map<String, Object> payloadOf(String line) {
    return Fields.map(Json.parseObject(line).get("args"), "payload");
  }

  private static int bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The length a cut string had: what is left plus what its mark says was cut. */
  private static long originalLength(String s) {
    int m = Cut.markerStart(s);
    if (m < 0) {
      return s.codePointCount(0, s.length());
    }
    return s.codePointCount(0, m) + Long.parseLong(s.substring(m + Cut.PREFIX.length(), s.length() - Cut.SUFFIX.length()));
  }

  @Test
  void aPayloadThatFitsIsSentAsItIs() {
    Map<String, Object> p = Json.parseObject(HookCommandTest.SESSION_START);
    String line = HookRequest.line("1", HookInput.of(p), 1 << 20);
    assertEquals("{\"v\":1,\"id\":\"1\",\"op\":\"hook\",\"args\":{\"payload\":" + Json.write(p) + "}}", line);
  }

  @Test
  void longStringsAreCutToOneLengthUntilTheLineFits() throws IOException {
    int max = 64 * 1024;
    String text = HookInputTest.postToolUse(300_000);
    String line = HookRequest.line("7", HookInputTest.read(text, max), max);
    assertTrue(bytes(line) <= max, bytes(line) + " bytes");
    assertTrue(bytes(line) > max * 9 / 10, "cut more than needed: " + bytes(line));
    Map<String, Object> p = payloadOf(line);
    Map<String, Object> original = Json.parseObject(text);
    for (String key : List.of("session_id", "hook_event_name", "tool_name", "tool_use_id", "duration_ms")) {
      assertEquals(original.get(key), p.get(key), key);
    }
    String in = Fields.str(p.get("tool_input"), "content");
    String out = Fields.str(p.get("tool_response"), "content");
    assertEquals(Cut.markerStart(in), Cut.markerStart(out), "both cut to the same length");
    String full = Fields.str(original.get("tool_input"), "content");
    assertTrue(full.startsWith(in.substring(0, Cut.markerStart(in))));
    assertEquals(full.codePointCount(0, full.length()), originalLength(in), "the mark counts what was cut, twice over");
    assertEquals(Boolean.TRUE, Fields.get(p.get("tool_response"), "success"));
  }

  @Test
  void escapedAndWideCharactersStillFit() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("hook_event_name", "PostToolUse");
    p.put("a", "\n\"\\".repeat(30_000)); // six bytes of JSON per three chars
    p.put("b", "\u4e2d\u6587".repeat(30_000)); // three bytes per char
    p.put("c", "\u0001".repeat(30_000)); // six bytes per char
    int max = 20_000;
    String line = HookRequest.line("1", HookInput.of(p), max);
    assertTrue(bytes(line) <= max, bytes(line) + " bytes");
    assertTrue(bytes(line) > max / 2, "cut more than needed: " + bytes(line));
    assertEquals("PostToolUse", payloadOf(line).get("hook_event_name"));
  }

  @Test
  void manySmallItemsFallBackToTheTopLevelScalars() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("session_id", "abc123");
    p.put("hook_event_name", "PostToolBatch");
    List<Object> calls = new ArrayList<>();
    for (int k = 0; k < 50_000; k++) {
      calls.add((long) k);
    }
    p.put("tool_calls", calls);
    p.put("duration_ms", 5L);
    String line = HookRequest.line("1", HookInput.of(p), 4096);
    assertTrue(bytes(line) <= 4096);
    assertEquals(Map.of("session_id", "abc123", "hook_event_name", "PostToolBatch", "duration_ms", 5L), payloadOf(line));
  }

  @Test
  void aLimitTooSmallForAnythingElseSendsTheEventName() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("session_id", "s".repeat(1000));
    p.put("hook_event_name", "Stop");
    String line = HookRequest.line("1", HookInput.of(p), 300);
    assertTrue(bytes(line) <= 300, line);
    assertEquals("Stop", payloadOf(line).get("hook_event_name"));
    assertEquals(1000, originalLength((String) payloadOf(line).get("session_id")));
    line = HookRequest.line("1", HookInput.of(p), 100);
    assertEquals("{\"v\":1,\"id\":\"1\",\"op\":\"hook\",\"args\":{\"payload\":{\"hook_event_name\":\"Stop\"}}}", line);
  }

  @Test
  void rawTextIsCutToo() throws IOException {
    String text = "not json " + "x".repeat(50_000);
    String line = HookRequest.line("1", HookInputTest.read(text, 8192), 8192);
    assertTrue(bytes(line) <= 8192);
    String raw = (String) ((Map<?, ?>) Json.parseObject(line).get("args")).get("raw");
    assertTrue(raw.startsWith("not json xxx"));
    assertEquals(text.length(), originalLength(raw));
  }

  @Test
  void cutMarksAddUp() {
    String once = Cut.cut("abcdefghij", 6);
    assertEquals("abcdef…[cut 4 chars]", once);
    assertEquals("abc…[cut 7 chars]", Cut.cut(once, 3));
    assertEquals(once, Cut.cut(once, 6));
    assertEquals("a…[cut 1 chars]", Cut.cut("a\ud83d\ude00", 2)); // never half a surrogate pair
    assertEquals(-1, Cut.markerStart("text …[cut x chars]"));
  }

  @Test
  void sizeIsTheLengthOfTheEncodedJson() {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      Object tree = randomTree(random, 0);
      assertEquals(Json.write(tree).getBytes(StandardCharsets.UTF_8).length, HookRequest.size(tree), Json.write(tree));
    }
    Object samples = FakeDaemon.samples();
    assertEquals(Json.write(samples).getBytes(StandardCharsets.UTF_8).length, HookRequest.size(samples));
  }

  private static Object randomTree(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(5) : r.nextInt(7);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return r.nextLong() >> r.nextInt(64);
      case 3:
        return new java.math.BigDecimal(r.nextInt(100000)).movePointLeft(r.nextInt(6));
      case 4:
        return randomString(r);
      case 5: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = r.nextInt(4); k > 0; k--) {
          m.put(randomString(r) + k, randomTree(r, depth + 1));
        }
        return m;
      }
      default: {
        List<Object> l = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
          l.add(randomTree(r, depth + 1));
        }
        return l;
      }
    }
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    String alphabet = "ab\"\\\n\r\t\b\f\u0001\u001f\u00e9\u4e2d\u2028\u2029\ud83d\ude00\ud800 ";
    for (int k = r.nextInt(20); k > 0; k--) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void utf8LengthIsWhatGetBytesProduces() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 50; k++) {
        sb.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x800)));
      }
      String s = sb.toString();
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, HookRequest.utf8Length(s), s);
    }
  }
}
