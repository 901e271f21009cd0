package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loopwatch hook} in process, against a real socket: always exit 0, nothing on stdout but a
 * SessionStart's context, within its deadline whatever the daemon does. (The same cases run as child
 * processes through the launcher in {@code LauncherIT}, where the deadline halts the JVM.)
 */
class HookCommandTest {
  /** Room for a loaded machine between the deadline and the return. */
  static final long MARGIN_MS = 700;

  static final String SESSION_START =
      "{\"session_id\":\"abc123\",\"transcript_path\":\"/tmp/t.jsonl\",\"cwd\":\"/tmp\",\"hook_event_name\":\"SessionStart\","
          + "\"source\":\"startup\",\"model\":\"claude-sonnet-5\"}";
  static final String STOP =
      "{\"session_id\":\"abc123\",\"hook_event_name\":\"Stop\",\"stop_hook_active\":false,\"last_assistant_message\":\"done\"}";
  static final String CONTEXT = (String) ((Map<?, ?>) FakeDaemon.samples().get("hook")).get("context");

  @TempDir Path dir;

  private Run hook(Path socket, String stdin) {
    return Run.with(stdin, Run.env(dir), Run.at(socket, "hook"));
  }

  /**
   * The socket for tests of what the hook sends and prints rather than of when: its client.properties
   * gives the hook all the time a loaded machine may need.
   */
  private Path roomySocket() throws IOException {
    Files.writeString(dir.resolve("client.properties"), "hook.deadlineMs=20000\nhook.sessionStartDeadlineMs=20000\n");
    return dir.resolve("d.sock");
  }

  private static void assertQuiet(Run r) {
    assertEquals(0, r.exit());
    assertEquals("", r.out());
  }

  @Test
  void sessionStartPrintsTheDaemonsContext() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      Run r = hook(d.socket(), SESSION_START);
      assertEquals(0, r.exit());
      assertEquals(CONTEXT + "\n", r.out());
      assertEquals("", r.err());
      Map<String, Object> request = d.requestJson();
      assertEquals(Map.of("v", 1L, "id", "1", "op", "hook", "args", Map.of("payload", Json.parse(SESSION_START))), request);
    }
  }

  @Test
  void contextThatLooksLikeJsonTravelsAsAdditionalContext() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      d.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"context\":\"{not control output}\\nline 2\"}}");
      Run r = hook(d.socket(), SESSION_START);
      assertEquals(
          "{\"hookSpecificOutput\":{\"hookEventName\":\"SessionStart\",\"additionalContext\":\"{not control output}\\nline 2\"}}\n",
          r.out());
    }
  }

  @Test
  void emptyContextPrintsNothing() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      d.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"context\":\"\"}}");
      assertQuiet(hook(d.socket(), SESSION_START));
    }
  }

  @Test
  void otherEventsPrintNothingEvenWhenTheDaemonHasContext() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      for (String event : List.of("Stop", "PostToolUse", "UserPromptSubmit", "SessionEnd", "SomeFutureEvent")) {
        String payload = "{\"session_id\":\"abc123\",\"hook_event_name\":\"" + event + "\",\"new_field\":{\"x\":[1,2]}}";
        Run r = hook(d.socket(), payload);
        assertQuiet(r);
        assertEquals("", r.err());
        assertEquals(Map.of("payload", Json.parse(payload)), d.requestJson().get("args"));
      }
    }
  }

  @Test
  void everyDocumentedPayloadIsSentUnchanged() throws Exception {
    Path samples = Path.of(System.getProperty("loopwatch.samples", "../../shared/samples"), "hooks", "official-docs-examples");
    assumeTrue(Files.isDirectory(samples), "no hook samples at " + samples);
    List<Path> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(samples)) {
      files.filter(p -> p.getFileName().toString().endsWith(".input.json")).sorted().forEach(inputs::add);
    }
    assertTrue(inputs.size() > 20, "samples: " + inputs);
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      for (Path input : inputs) {
        String payload = Files.readString(input);
        Run r = hook(d.socket(), payload);
        boolean sessionStart = input.getFileName().toString().startsWith("SessionStart");
        assertEquals(0, r.exit(), input.toString());
        assertEquals(sessionStart ? CONTEXT + "\n" : "", r.out(), input.toString());
        assertEquals(Map.of("payload", Json.parse(payload)), d.requestJson().get("args"), input.toString());
      }
    }
  }

  @Test
  void garbageIsSentAsRawText() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      for (String garbage : List.of("not json at all", "{\"hook_event_name\":\"Stop\",", "[1,2,3]", "\"a string\"", "",
          "{\"a\":1} trailing", "\u00ff\u00fe binary-ish \u0000")) {
        Run r = hook(d.socket(), garbage);
        assertQuiet(r);
        assertEquals(Map.of("raw", garbage), d.requestJson().get("args"), garbage);
      }
    }
  }

  @Test
  void aCutOffSessionStartStillGetsItsContext() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      String broken = "{\"session_id\":\"abc\",\"hook_event_name\":\"SessionStart\",\"source\":";
      Run r = hook(d.socket(), broken);
      assertEquals(CONTEXT + "\n", r.out());
      assertEquals(Map.of("raw", broken), d.requestJson().get("args"));
    }
  }

  @Test
  void aFiveMegabytePayloadIsCutBelowTheRequestLimit() throws Exception {
    // The point here is the size; the deadline is LauncherIT's. A generous one keeps a cold JIT out of it.
    Files.writeString(dir.resolve("client.properties"), "hook.deadlineMs=20000\n");
    String big = HookInputTest.fiveMegabytePostToolUse();
    assertTrue(big.length() > 5_000_000);
    try (FakeDaemon d = FakeDaemon.start(dir.resolve("d.sock"))) {
      Run r = hook(d.socket(), big);
      assertQuiet(r);
      String line = d.request();
      assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= Protocol.DEFAULT_MAX_REQUEST_BYTES,
          "request of " + line.length() + " chars");
      assertTrue(line.length() > Protocol.DEFAULT_MAX_REQUEST_BYTES / 2, "cut more than needed: " + line.length());
      Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) Json.parseObject(line).get("args")).get("payload");
      assertEquals("PostToolUse", payload.get("hook_event_name"));
      assertEquals("abc123", payload.get("session_id"));
      assertEquals("Write", payload.get("tool_name"));
      assertEquals("/home/dev/big.txt", ((Map<?, ?>) payload.get("tool_input")).get("file_path"));
      String content = (String) ((Map<?, ?>) payload.get("tool_input")).get("content");
      assertTrue(content.startsWith("line 0 of a big file"), content.substring(0, 40));
      assertTrue(content.matches("(?s).*…\\[cut \\d+ chars]"), content.substring(content.length() - 40));
    }
  }

  @Test
  void theDaemonsLimitsComeFromClientProperties() throws Exception {
    Files.writeString(dir.resolve("client.properties"),
        "# written by loopwatchd\nhook.deadlineMs=20000\nsocket.maxRequestBytes=4096\n");
    try (FakeDaemon d = FakeDaemon.start(dir.resolve("d.sock"))) {
      Run r = hook(d.socket(), HookInputTest.fiveMegabytePostToolUse());
      assertQuiet(r);
      String line = d.request();
      assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 4096, "request of " + line.length());
      assertTrue(line.length() > 2048, line);
      assertTrue(line.contains("\"hook_event_name\":\"PostToolUse\""), line);
    }
  }

  @Test
  void daemonDownReturnsAtOnce() {
    Run r = hook(dir.resolve("missing.sock"), SESSION_START);
    assertQuiet(r);
    assertEquals("loopwatch hook: cannot connect to " + dir.resolve("missing.sock") + " (No such file or directory)\n", r.err());
    assertTrue(r.millis() < ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS, r.millis() + " ms");
  }

  @Test
  void aSocketFileWithNobodyListening() throws IOException {
    Path socket = ExitCodesTest.staleSocket(dir.resolve("stale.sock"));
    Run r = hook(socket, STOP);
    assertQuiet(r);
    assertTrue(r.err().contains("Connection refused"), r.err());
  }

  @Test
  void aDaemonThatNeverAnswersIsLeftAtTheDeadline() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(dir.resolve("d.sock")).mode(FakeDaemon.Mode.SILENT)) {
      Run r = hook(d.socket(), STOP);
      assertQuiet(r);
      assertNotNull(d.request(), "the request was sent");
      assertWithin(ClientSettings.DEFAULT_DEADLINE_MS, r);

      r = hook(d.socket(), SESSION_START);
      assertQuiet(r);
      assertWithin(ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS, r);
      assertEquals("loopwatch hook: no answer within the hook's deadline\n", r.err());
    }
  }

  @Test
  void aDaemonThatNeverReadsIsLeftAtTheDeadline() throws Exception {
    // A request (about 280 KB) larger than the socket's buffers: the write itself blocks.
    try (FakeDaemon d = FakeDaemon.start(dir.resolve("d.sock")).mode(FakeDaemon.Mode.DEAF)) {
      Run r = hook(d.socket(), HookInputTest.postToolUse(120_000));
      assertQuiet(r);
      assertWithin(ClientSettings.DEFAULT_DEADLINE_MS, r);
    }
  }

  @Test
  void deadlinesFromClientPropertiesApply() throws Exception {
    Files.writeString(dir.resolve("client.properties"), "hook.deadlineMs=100\nhook.sessionStartDeadlineMs=200\n");
    try (FakeDaemon d = FakeDaemon.start(dir.resolve("d.sock")).mode(FakeDaemon.Mode.SILENT)) {
      assertWithin(100, hook(d.socket(), STOP));
      assertWithin(200, hook(d.socket(), SESSION_START));
    }
  }

  @Test
  void aDaemonErrorIsNotPrinted() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket())) {
      d.error("UNAVAILABLE", "starting");
      Run r = hook(d.socket(), SESSION_START);
      assertQuiet(r);
      assertEquals("loopwatch hook: the daemon answered UNAVAILABLE: starting\n", r.err());
    }
  }

  @Test
  void aHookExitsZeroEvenOnAUsageError() throws Exception {
    Run r = Run.with(SESSION_START, Run.env(dir), "hook", "--bogus");
    assertQuiet(r);
    assertTrue(r.err().startsWith("loopwatch: hook: unknown option --bogus"), r.err());
  }

  @Test
  void aHangingUpDaemonIsNotAnError() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(roomySocket()).mode(FakeDaemon.Mode.HANG_UP)) {
      Run r = hook(d.socket(), SESSION_START);
      assertQuiet(r);
      assertTrue(r.err().contains("closed the connection without answering"), r.err());
      assertNotNull(d.request());
    }
  }

  static void assertWithin(long deadlineMs, Run r) {
    assertTrue(r.millis() <= deadlineMs + MARGIN_MS, "returned after " + r.millis() + " ms, deadline " + deadlineMs + " ms");
  }
}
