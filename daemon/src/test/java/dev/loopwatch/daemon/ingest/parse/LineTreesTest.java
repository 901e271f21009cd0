package dev.loopwatch.daemon.ingest.parse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LineTreesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * On every line of every real transcript the pruned tree equals Jackson's full tree, except that long
   * free-text values are cut to their prefix while their length and line count stay exact.
   */
  @Test
  void sameTreeAsJacksonOnEveryRealTranscriptLine() throws IOException {
    int lines = 0;
    int cut = 0;
    try (Stream<Path> files = Files.walk(Fixtures.samples().resolve("transcripts"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f, UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          byte[] b = line.getBytes(UTF_8);
          cut += compare(MAPPER.readTree(b), LineTrees.read(b, 0, b.length), f + ":" + lines);
          lines++;
        }
      }
    }
    assertTrue(lines > 4000, "read the samples");
    assertTrue(cut > 50, "long values were cut: " + cut);
  }

  private static int compare(JsonNode full, JsonNode pruned, String where) {
    if (pruned instanceof LongText t) {
      String s = full.textValue();
      assertEquals(s.length(), t.fullLength(), where);
      assertEquals(s.substring(0, t.textValue().length()), t.textValue(), where);
      assertTrue(t.textValue().length() >= LineTrees.KEEP_CHARS, where);
      assertEquals(s.chars().filter(c -> c == '\n').count(), t.newlines(), where);
      assertEquals(s.endsWith("\n"), t.endsWithNewline(), where);
      return 1;
    }
    assertEquals(full.getNodeType(), pruned.getNodeType(), where);
    int n = 0;
    if (full.isObject()) {
      assertEquals(full.size(), pruned.size(), where);
      for (Iterator<Map.Entry<String, JsonNode>> it = full.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        n += compare(e.getValue(), pruned.get(e.getKey()), where + "." + e.getKey());
      }
    } else if (full.isArray()) {
      assertEquals(full.size(), pruned.size(), where);
      for (int i = 0; i < full.size(); i++) {
        n += compare(full.get(i), pruned.get(i), where + "[" + i + "]");
      }
    } else {
      assertEquals(full, pruned, where);
    }
    return n;
  }

  @Test
  void longValuesWithEscapesAndMultibyteCharactersAreCountedExactly() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      sb.append("line ").append(i).append(" \u00e9\u4e2d\uD83D\uDE00 \"q\" \\ \t\n");
    }
    String value = sb.toString();
    ObjectNode o = MAPPER.createObjectNode().put("content", value).put("id", "x");
    byte[] b = MAPPER.writeValueAsBytes(o);
    JsonNode tree = LineTrees.read(b, 0, b.length);
    LongText t = assertInstanceOf(LongText.class, tree.get("content"));
    assertEquals(value.length(), t.fullLength());
    assertEquals(3000, t.newlines());
    assertEquals(3000, t.lineCount());
    assertEquals(value.substring(0, t.textValue().length()), t.textValue());
    assertEquals("x", tree.get("id").textValue());
    // \\u escapes too
    byte[] u = ("{\"text\":\"" + "\\u0041\\u000a".repeat(5000) + "\"}").getBytes(UTF_8);
    LongText ut = assertInstanceOf(LongText.class, LineTrees.read(u, 0, u.length).get("text"));
    assertEquals(10000, ut.fullLength());
    assertEquals(5000, ut.newlines());
    assertTrue(ut.textValue().startsWith("A\nA\n"));
  }

  @Test
  void malformedInputIsRejectedLikeJacksonRejectsIt() {
    for (String bad : new String[] {"", "{", "{\"a\":1}x", "[1,", "{\"text\":\"" + "a".repeat(9000), "nul"}) {
      byte[] b = bad.getBytes(UTF_8);
      assertThrows(JsonProcessingException.class, () -> LineTrees.read(b, 0, b.length), bad.length() > 20 ? "long" : bad);
    }
  }
}
