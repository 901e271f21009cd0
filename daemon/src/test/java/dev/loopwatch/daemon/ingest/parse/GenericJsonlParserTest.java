package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GenericJsonlParserTest {
  private static final Path ROOT = Path.of("/home/u/proj/.claude");

  private static ParserHarness harness() {
    return new ParserHarness(SourceKind.GENERIC_JSONL, ROOT, ROOT.resolve("logs/tool-calls.jsonl"));
  }

  @Test
  void keepsScalarsAndFindsTimeAndSession() throws BadLineException {
    Event e = harness().lines("{'ts':'2026-01-01T10:00:00Z','session_id':'s1','tool':'Bash','ok':true,'n':3,"
        + "'ratio':0.25,'nested':{'a':1},'list':[1],'nothing':null,'cwd':'/srv/x','auth':'Bearer abcdefghijkl'}")
        .sink.only(EventKind.RAW);
    assertEquals(Instant.parse("2026-01-01T10:00:00Z"), e.ts());
    assertEquals("s1", e.sessionId());
    assertEquals("/srv/x", e.project());
    assertEquals("Bash", e.attr("tool"));
    assertEquals("true", e.attr("ok"));
    assertEquals("3", e.attr("n"));
    assertEquals("0.25", e.attr("ratio"));
    assertEquals("Bearer [REDACTED]", e.attr("auth"));
    assertNull(e.attr("nested"));
    assertNull(e.attr("list"));
    assertNull(e.attr("nothing"));
    assertEquals("jsonl", e.source());
  }

  @Test
  void timeFieldsInOrderAndEpochs() throws BadLineException {
    assertEquals(Instant.ofEpochMilli(1770763078169L),
        harness().lines("{'created_at':1770763078169}").sink.events.get(0).ts());
    assertEquals(Instant.ofEpochSecond(1770763078L),
        harness().lines("{'time':'1770763078','createdAt':'2020-01-01T00:00:00Z'}").sink.events.get(0).ts());
    assertEquals(Fixtures.INGESTED, harness().lines("{'when':'now'}").sink.events.get(0).ts());
    assertEquals("s2", harness().lines("{'sessionId':'s2'}").sink.events.get(0).sessionId());
  }

  @Test
  void atMostTwentyShortValues() throws BadLineException {
    StringBuilder line = new StringBuilder("{");
    for (int i = 0; i < 30; i++) {
      line.append(i == 0 ? "" : ",").append("'f").append(i).append("':'").append("v".repeat(300)).append('\'');
    }
    Event e = harness().lines(line.append('}').toString()).sink.events.get(0);
    assertEquals(20, e.attrs().keySet().stream().filter(k -> k.startsWith("f")).count());
    assertEquals("true", e.attr(ParseContext.NO_SOURCE_TIME), "no time in the line: marked");
    assertEquals(21, e.attrs().size());
    assertEquals(200, e.attr("f0").length());
  }

  @Test
  void linesAreKeyedByPosition() throws BadLineException {
    ParserHarness h = harness().lines("{'a':1}", "{'a':1}");
    assertNotEquals(h.sink.events.get(0).id(), h.sink.events.get(1).id());
  }

  @Test
  void nonObjectsAreBadLines() {
    assertThrows(BadLineException.class, () -> harness().lines("[1]"));
    assertThrows(BadLineException.class, () -> harness().lines("'x'"));
  }
}
