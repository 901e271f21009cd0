package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming read of a hook's stdin: long strings cut on the fly, never inside a character. */
class HookInputTest {
  static final int MAX = 2048;

  static HookInput read(String text, int max) throws IOException {
    return HookInput.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
  }

  /** A PostToolUse of a Write whose content (in the input and the response) is {@code chars} long. */
  static String postToolUse(int chars) {
    StringBuilder content = new StringBuilder(chars + 64);
    for (int k = 0; content.length() < chars; k++) {
      content.append("line ").append(k).append(" of a big file with \"quotes\", tabs\tand \u00e9\u00e8 \ud83d\ude00\n");
    }
    content.setLength(chars);
    String c = Json.write(content.toString());
    return "{\n  \"session_id\": \"abc123\",\n  \"hook_event_name\": \"PostToolUse\",\n  \"tool_name\": \"Write\",\n"
        + "  \"tool_input\": {\"file_path\": \"/home/dev/big.txt\", \"content\": " + c + "},\n"
        + "  \"tool_response\": {\"filePath\": \"/home/dev/big.txt\", \"success\": true, \"content\": " + c + "},\n"
        + "  \"tool_use_id\": \"toolu_01\",\n  \"duration_ms\": 12\n}\n";
  }

  static String fiveMegabytePostToolUse() {
    return postToolUse(2_500_000);
  }

  private static String stringField(HookInput in, String key) {
    return (String) in.payload().get(key);
  }

  @Test
  void aSmallPayloadIsReadAsItIs() throws IOException {
    String text = HookCommandTest.SESSION_START.replace(",", ",\n   ");
    HookInput in = read(text, MAX);
    assertEquals(Json.parse(text), in.payload());
    assertEquals("SessionStart", in.event());
    assertNull(in.raw());
  }

  @Test
  void aLongStringKeepsTheRequestLimitAndCountsWhatWasCut() throws IOException {
    HookInput in = read("{\"hook_event_name\":\"Stop\",\"s\":\"" + "a".repeat(10_000) + "\",\"after\":1}", MAX);
    assertEquals("a".repeat(MAX) + "…[cut " + (10_000 - MAX) + " chars]", stringField(in, "s"));
    assertEquals(1L, in.payload().get("after"));
    assertEquals("Stop", in.event());
  }

  @Test
  void escapesAreNeverSplit() throws IOException {
    // "\n" is two bytes in JSON: 2048 bytes kept are 1,024 newlines
    HookInput in = read("{\"s\":\"" + "\\n".repeat(3000) + "\"}", MAX);
    assertEquals("\n".repeat(1024) + "…[cut 1976 chars]", stringField(in, "s"));
    // \u00e9 is six bytes: the cut comes after the escape that crosses 2,048 bytes (342 escapes)
    in = read("{\"s\":\"" + "\\u00e9".repeat(1000) + "\"}", MAX);
    assertEquals("\u00e9".repeat(342) + "…[cut 658 chars]", stringField(in, "s"));
  }

  @Test
  void utf8SequencesAreNeverSplit() throws IOException {
    HookInput in = read("{\"s\":\"" + "\u00e9".repeat(3000) + "\"}", MAX);
    assertEquals("\u00e9".repeat(1024) + "…[cut 1976 chars]", stringField(in, "s"));
    in = read("{\"s\":\"x" + "\ud83d\ude00".repeat(1000) + "\"}", MAX); // 4 bytes each, after one ASCII byte
    assertEquals("x" + "\ud83d\ude00".repeat(512) + "…[cut 488 chars]", stringField(in, "s"));
  }

  @Test
  void keysAndShortValuesSurviveAndLaterStringsGetLessRoomAsTheOutputGrows() throws IOException {
    StringBuilder sb = new StringBuilder("{\"hook_event_name\":\"PostToolBatch\",\"calls\":[");
    for (int k = 0; k < 12; k++) {
      sb.append(k == 0 ? "" : ",").append("{\"id\":").append(k).append(",\"out\":\"").append("z".repeat(5000)).append("\"}");
    }
    HookInput in = read(sb.append("]}").toString(), MAX);
    java.util.List<?> calls = (java.util.List<?>) in.payload().get("calls");
    assertEquals(12, calls.size());
    int first = ((String) ((Map<?, ?>) calls.get(0)).get("out")).indexOf('…');
    int last = ((String) ((Map<?, ?>) calls.get(11)).get("out")).indexOf('…');
    assertEquals(MAX, first);
    assertEquals(1024, last); // the floor: the output passed its budget (4 × the limit)
    assertEquals(11L, ((Map<?, ?>) calls.get(11)).get("id"));
  }

  @Test
  void textThatIsNotOneObjectIsRaw() throws IOException {
    for (String raw : new String[] {"hello", "[1,2]", "42", "{\"a\":", "{\"a\":1}{\"b\":2}", "{\"a\": tru}"}) {
      HookInput in = read(raw, MAX);
      assertNull(in.payload(), raw);
      assertEquals(raw, in.raw());
    }
  }

  @Test
  void longRawTextKeepsItsBeginningAndTheEventName() throws IOException {
    String text = "{\"session_id\":\"s\", \"hook_event_name\" : \"SessionStart\", \"x\":\"" + "y".repeat(200_000); // cut off
    HookInput in = read(text, 1 << 20);
    assertNull(in.payload());
    assertEquals("SessionStart", in.event());
    assertTrue(in.raw().startsWith("{\"session_id\":\"s\""));
    assertEquals(64 * 1024, in.raw().indexOf('…'));
    assertTrue(in.raw().endsWith("…[cut " + (text.length() - 64 * 1024) + " chars]"), in.raw().substring(65_000));
  }

  @Test
  void structureBeyondEightTimesTheLimitIsSentRaw() throws IOException {
    String text = "{\"hook_event_name\":\"Stop\",\"xs\":[" + "1,".repeat(20_000) + "1]}";
    HookInput in = read(text, MAX);
    assertNull(in.payload());
    assertEquals("Stop", in.event());
    assertNotNull(in.raw());
  }

  @Test
  void readsAStreamThatArrivesInPieces() throws IOException {
    byte[] bytes = postToolUse(100_000).getBytes(StandardCharsets.UTF_8);
    InputStream trickle = new InputStream() {
      int at;

      @Override
      public int read() {
        return at < bytes.length ? bytes[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (at >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 7), bytes.length - at); // splits every escape and UTF-8 sequence somewhere
        System.arraycopy(bytes, at, b, off, n);
        at += n;
        return n;
      }
    };
    HookInput pieces = HookInput.read(trickle, MAX);
    HookInput whole = HookInput.read(new ByteArrayInputStream(bytes), MAX);
    assertEquals(whole.payload(), pieces.payload());
    assertEquals("PostToolUse", pieces.event());
  }
}
