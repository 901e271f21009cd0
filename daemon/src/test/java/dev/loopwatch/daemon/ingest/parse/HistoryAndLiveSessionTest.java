package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryAndLiveSessionTest {
  private static final Path HOME = Path.of("/home/u/.claude");

  private static ParserHarness history() {
    return new ParserHarness(SourceKind.CLAUDE_HISTORY, HOME, HOME.resolve("history.jsonl"));
  }

  private static ParserHarness live() {
    return new ParserHarness(SourceKind.CLAUDE_LIVE_SESSION, HOME, HOME.resolve("sessions/77870.json"));
  }

  @Test
  void historyLinesArePrompts() throws BadLineException {
    ParserHarness h = history().lines(
        "{'display':'fix the build, token=abc123','pastedContents':{'1':{'id':1,'type':'text','content':'...'}},"
            + "'timestamp':1770763078169,'project':'/home/u/proj','sessionId':'s-1'}",
        "{'display':'/mcp ','pastedContents':{},'timestamp':1770763109938,'project':'C:\\\\Users\\\\x'}");
    List<Event> prompts = h.sink.of(EventKind.PROMPT);
    assertEquals(2, prompts.size());
    Event first = prompts.get(0);
    assertEquals(Instant.ofEpochMilli(1770763078169L), first.ts());
    assertEquals("s-1", first.sessionId());
    assertEquals("/home/u/proj", first.project());
    assertEquals("fix the build, token=[REDACTED]", first.attr("text"));
    assertEquals("text", first.attr("promptKind"));
    assertEquals("1", first.attr("pasted"));
    Event second = prompts.get(1);
    assertNull(second.sessionId(), "old lines have no session");
    assertEquals("command", second.attr("promptKind"));
    assertEquals("/mcp", second.attr("command"));
    assertEquals(List.of(Path.of("/home/u/proj")), h.sink.projectReports, "a Windows path is no directory here");
  }

  @Test
  void historyKeysAreStableAndDistinct() throws BadLineException {
    String a = "{'display':'same','timestamp':1,'sessionId':'s'}";
    String b = "{'display':'other','timestamp':1,'sessionId':'s'}";
    ParserHarness h = history().lines(a, b, a);
    List<Event> e = h.sink.events;
    assertNotEquals(e.get(0).id(), e.get(1).id());
    assertEquals(e.get(0).id(), e.get(2).id(), "the same prompt at the same time is the same event wherever it is read");
  }

  @Test
  void oddHistoryLines() throws BadLineException {
    ParserHarness h = history().lines("{}", "{'display':null,'timestamp':'soon','project':7}");
    assertEquals(2, h.sink.events.size());
    assertNotEquals(h.sink.events.get(0).id(), h.sink.events.get(1).id());
    assertThrows(BadLineException.class, () -> history().lines("[]"));
  }

  @Test
  void liveSessionSnapshots() throws BadLineException {
    ParserHarness h = live().whole(("{'pid':77870,'sessionId':'s-1','cwd':'/srv/shop','startedAt':1777091356591,"
        + "'version':'2.1.119','kind':'interactive','entrypoint':'cli','status':'waiting','updatedAt':1777092876354,"
        + "'name':'shop','waitingFor':'dialog open'}").replace('\'', '"'));
    Event e = h.sink.only(EventKind.SESSION_STATE);
    assertEquals("live", e.attr("state"));
    assertEquals("77870", e.attr("pid"));
    assertEquals("waiting", e.attr("status"));
    assertEquals("dialog open", e.attr("waitingFor"));
    assertEquals(Instant.ofEpochMilli(1777092876354L), e.ts());
    assertEquals(Instant.ofEpochMilli(1777091356591L).toString(), e.attr("startedAt"));
    assertEquals("s-1", e.sessionId());
    assertEquals(List.of(Path.of("/srv/shop")), h.sink.projectReports);
  }

  @Test
  void eachStateChangeIsANewEventAndARereadIsNot() throws BadLineException {
    String idle = "{\"pid\":1,\"status\":\"idle\",\"updatedAt\":10}";
    String busy = "{\"pid\":1,\"status\":\"busy\",\"updatedAt\":11}";
    ParserHarness h = live().whole(idle).whole(busy).whole(idle);
    List<Event> e = h.sink.events;
    assertNotEquals(e.get(0).id(), e.get(1).id());
    assertEquals(e.get(0).id(), e.get(2).id());
  }

  @Test
  void brokenLiveSessionFiles() throws BadLineException {
    assertTrue(live().whole("").sink.events.isEmpty(), "caught between truncate and write");
    assertTrue(live().whole(" \n").sink.events.isEmpty());
    assertThrows(BadLineException.class, () -> live().whole("{\"pid\":1,"));
    assertThrows(BadLineException.class, () -> live().whole("[1]"));
    assertThrows(BadLineException.class, () -> live().whole("\"text\""));
    assertEquals(1, live().whole("{\"cwd\":\"\\u0000bad\"}").sink.events.size());
  }
}
