package dev.loopwatch.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every op over the socket of a real daemon that ingested the real sample transcripts: the result
 * shapes, ccusage's numbers through the socket, the filters, and hooks joining the transcript's records.
 * The read-only ops run first; the ops that add to the store (hooks, rebuild) run last, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsTest {
  private static final int MAX_CONTEXT = 200;
  /** ccusage 20 {@code claude daily --json} totals on the same files. */
  private static final long[] CCUSAGE_TOKENS = {4_836, 99_512, 1_215_381, 33_913_057};
  private static final String CCUSAGE_COST = "19.57124615";
  private static final String SNIFFLY_CWD = "/Users/chip/dev/ai-music";
  private static final String SMALL_SESSION = "fed8ce56-bc79-401f-a83e-af084253362f";
  /** A Read in session ba79134d whose transcript result carries no duration. */
  private static final String READ_SESSION = "ba79134d-b6e9-4867-af0c-6941038c9e4b";
  private static final String READ_TOOL_USE = "toolu_01T9TNnWpr3cD6mWjoaTVUvm";

  TestDaemon d;
  SocketClient c;

  @BeforeAll
  void ingestSamples(@TempDir Path tmp) throws IOException {
    d = new TestDaemon(tmp, "hook:\n  maxContextChars: " + MAX_CONTEXT + "\n");
    d.startOnSamples();
    c = SocketClient.connect(d.daemon().config().socket().path());
  }

  @AfterAll
  void stop() {
    if (c != null) {
      c.close();
    }
    d.close();
  }

  // ------------------------------------------------------------------------------- ping and status

  @Test
  @Order(1)
  void ping() throws Exception {
    JsonNode r = ok("ping", Map.of());
    assertTrue(r.path("pong").asBoolean());
    assertEquals(1, r.path("protocol").asInt());
    assertEquals(ProcessHandle.current().pid(), r.path("pid").asLong());
    assertTrue(r.path("version").isTextual());
  }

  @Test
  @Order(1)
  void status() throws Exception {
    JsonNode r = ok("status", Map.of());
    assertEquals(ProcessHandle.current().pid(), r.path("pid").asLong());
    assertEquals(d.daemon().config().socket().path().toString(), r.path("socket").asText());
    assertTrue(r.path("uptimeMs").asLong() > 0);
    JsonNode ingest = r.path("ingest");
    assertTrue(ingest.path("caughtUp").asBoolean(), ingest.toString());
    assertEquals(0, ingest.path("backlog").asInt());
    assertEquals(List.of(d.claude.toString()), strings(ingest.path("roots")));
    assertTrue(ingest.path("filesRead").asLong() >= 13, "counters are unwrapped into ingest: " + ingest);
    assertTrue(ingest.path("linesRead").asLong() > 4000, ingest.toString());
    assertEquals(0, ingest.path("badLines").asLong());
    JsonNode journal = r.path("journal");
    assertTrue(journal.path("events").asLong() > 2000, journal.toString());
    assertTrue(journal.path("documents").asLong() > 0, journal.toString());
    JsonNode store = r.path("store");
    assertTrue(store.path("caughtUp").asBoolean(), store.toString());
    assertEquals(journal.path("lastIndex").asLong(), store.path("projectedIndex").asLong());
    assertEquals(0, store.path("lagDocuments").asLong());
    assertTrue(store.path("bytes").asLong() > 0);
    assertTrue(store.path("lastCommit").isTextual(), "ISO-8601 instant: " + store);
    assertEquals("journal-retention", r.path("jobs").path(0).path("name").asText(), r.toString());
  }

  // ------------------------------------------------------------------------------------------ cost

  @Test
  @Order(1)
  void costTotalsEqualCcusage() throws Exception {
    JsonNode r = ok("cost", Map.of("timezone", "UTC"));
    assertEquals("total", r.path("groupBy").asText());
    assertEquals("UTC", r.path("timezone").asText());
    assertTrue(r.path("since").isNull() && r.path("until").isNull(), r.toString());
    assertUsage(r.path("totals"), CCUSAGE_TOKENS, CCUSAGE_COST);
    assertEquals(35_232_786, r.path("totals").path("totalTokens").asLong());
    assertEquals(485, r.path("totals").path("requests").asLong());
    assertEquals(0, r.path("rows").size());
    assertEquals(0, r.path("unknownModels").size());
  }

  @Test
  @Order(1)
  void costByEachGroupingSumsToCcusageTotals() throws Exception {
    Map<String, List<String>> expectedKeys = new LinkedHashMap<>();
    expectedKeys.put("day", List.of("2025-06-08", "2025-06-10", "2026-02-10", "2026-02-12"));
    expectedKeys.put("week", List.of("2025-06-02", "2025-06-09", "2026-02-09"));
    expectedKeys.put("month", List.of("2025-06", "2026-02"));
    expectedKeys.put("project", null);
    expectedKeys.put("model", null);
    expectedKeys.put("agent", List.of("main", "subagent"));
    expectedKeys.put("session", null);
    for (Map.Entry<String, List<String>> e : expectedKeys.entrySet()) {
      String by = e.getKey();
      JsonNode r = ok("cost", Map.of("by", by, "timezone", "UTC"));
      assertEquals(by, r.path("groupBy").asText());
      assertUsage(r.path("totals"), CCUSAGE_TOKENS, CCUSAGE_COST);
      List<String> keys = new ArrayList<>();
      long[] sum = new long[4];
      BigDecimal cost = BigDecimal.ZERO;
      for (JsonNode row : r.path("rows")) {
        String key = row.path("key").asText(null);
        assertNotNull(key, by + " row without key: " + row);
        assertEquals(key, row.path(by).asText(null), "the row names its group as '" + by + "': " + row);
        assertTrue(row.path("models").isArray() && row.path("models").size() > 0, row.toString());
        keys.add(key);
        sum[0] += row.path("inputTokens").asLong();
        sum[1] += row.path("outputTokens").asLong();
        sum[2] += row.path("cacheCreationTokens").asLong();
        sum[3] += row.path("cacheReadTokens").asLong();
        cost = cost.add(row.path("totalCost").decimalValue());
      }
      assertEquals(new HashSet<>(keys).size(), keys.size(), by + ": keys are unique " + keys);
      for (int i = 0; i < 4; i++) {
        assertEquals(CCUSAGE_TOKENS[i], sum[i], by + ": rows add up to the totals");
      }
      assertEquals(0, new BigDecimal(CCUSAGE_COST).compareTo(cost), by + ": row costs add up to " + cost);
      if (e.getValue() != null) {
        assertEquals(e.getValue(), keys.stream().sorted().toList(), by);
      }
    }
  }

  @Test
  @Order(1)
  void costRowsOfTheSamplesEqualCcusage() throws Exception {
    JsonNode day = rowsByKey(ok("cost", Map.of("by", "day", "timezone", "UTC")));
    assertUsage(day.get("2026-02-12"), new long[] {2_886, 78_381, 937_099, 28_988_297}, "16.28626735");
    assertUsage(day.get("2025-06-10"), new long[] {88, 278, 16_000, 44_544}, "0.0777972");
    JsonNode session = rowsByKey(ok("cost", Map.of("by", "session", "timezone", "UTC")));
    assertUsage(
        session.get("4d5611e5-241a-462a-8d15-5122611a9569"), new long[] {233, 28_899, 559_475, 12_387_553},
        "10.11369555");
    assertUsage(session.get(SMALL_SESSION), new long[] {88, 278, 16_000, 44_544}, "0.0777972");
  }

  @Test
  @Order(1)
  void costSinceUntilProjectAndTimezone() throws Exception {
    // one day (inclusive bounds) is ccusage's daily row; both date forms are accepted
    JsonNode oneDay = ok("cost", Map.of("since", "2026-02-12", "until", "20260212", "timezone", "UTC"));
    assertUsage(oneDay.path("totals"), new long[] {2_886, 78_381, 937_099, 28_988_297}, "16.28626735");
    assertEquals("2026-02-12", oneDay.path("since").asText());
    assertEquals("2026-02-12", oneDay.path("until").asText());
    // open-ended ranges split the total
    JsonNode before = ok("cost", Map.of("until", "2026-02-11", "timezone", "UTC")).path("totals");
    JsonNode after = ok("cost", Map.of("since", "2026-02-12", "timezone", "UTC")).path("totals");
    assertEquals(CCUSAGE_TOKENS[1], before.path("outputTokens").asLong() + after.path("outputTokens").asLong());
    assertEquals(
        0, new BigDecimal(CCUSAGE_COST).compareTo(before.path("totalCost").decimalValue().add(after.path("totalCost").decimalValue())));
    // a project substring: the sniffly project is the two June 2025 days
    JsonNode music = ok("cost", Map.of("project", "ai-music", "timezone", "UTC"));
    assertUsage(music.path("totals"), new long[] {293, 19_313, 206_624, 4_302_385}, "2.3561295");
    assertEquals(0, ok("cost", Map.of("project", "no-such-project")).path("totals").path("requests").asLong());
    // Tokyo (UTC+9) moves the evening of 2026-02-12 UTC onto the 13th; the totals stay
    JsonNode tokyo = ok("cost", Map.of("by", "day", "timezone", "Asia/Tokyo"));
    assertEquals("Asia/Tokyo", tokyo.path("timezone").asText());
    assertUsage(tokyo.path("totals"), CCUSAGE_TOKENS, CCUSAGE_COST);
    assertTrue(rowsByKey(tokyo).has("2026-02-13"), tokyo.toString());
    assertFalse(rowsByKey(ok("cost", Map.of("by", "day", "timezone", "UTC"))).has("2026-02-13"));
  }

  // -------------------------------------------------------------------------------------- sessions

  @Test
  @Order(1)
  void sessionsListAndFilters() throws Exception {
    JsonNode all = ok("sessions", Map.of("limit", 100)).path("sessions");
    Set<String> ids = new HashSet<>();
    all.forEach(s -> ids.add(s.path("sessionId").asText()));
    assertTrue(
        ids.containsAll(
            List.of(
                SMALL_SESSION, READ_SESSION, "d3ad4cdc-5657-435d-98fa-0035d53e383d", "4d5611e5-241a-462a-8d15-5122611a9569",
                "ae4a77f8-aedd-4bc1-888f-c94edc91af04")),
        ids.toString());
    JsonNode first = all.get(0);
    for (String field :
        List.of("sessionId", "project", "title", "firstActivity", "lastActivity", "durationMs", "prompts", "requests",
            "toolCalls", "toolErrors", "rejections", "interrupts", "subagents", "compactions", "outcome",
            "outcomeReason", "errorStorm", "highCost", "needsReview", "usage")) {
      assertTrue(first.has(field), field + " in " + first);
    }
    for (int i = 1; i < all.size(); i++) {
      assertTrue(
          all.get(i - 1).path("lastActivity").asText().compareTo(all.get(i).path("lastActivity").asText()) >= 0,
          "most recent first");
    }
    // session usage through the socket is ccusage's
    for (JsonNode s : all) {
      if (s.path("sessionId").asText().equals(SMALL_SESSION)) {
        assertUsage(s.path("usage"), new long[] {88, 278, 16_000, 44_544}, "0.0777972");
      }
    }
    assertEquals(2, ok("sessions", Map.of("limit", 2)).path("sessions").size());
    assertEquals(Math.min(20, all.size()), ok("sessions", Map.of()).path("sessions").size(), "default limit 20");

    JsonNode music = ok("sessions", Map.of("project", "ai-music", "limit", 100)).path("sessions");
    assertFalse(music.isEmpty());
    music.forEach(s -> assertEquals(SNIFFLY_CWD, s.path("project").asText(), s.toString()));

    JsonNode since = ok("sessions", Map.of("since", "2026-02-12", "timezone", "UTC", "limit", 100)).path("sessions");
    Set<String> sinceIds = new HashSet<>();
    since.forEach(s -> {
      sinceIds.add(s.path("sessionId").asText());
      assertTrue(s.path("lastActivity").asText().compareTo("2026-02-12") >= 0, s.toString());
    });
    assertTrue(sinceIds.contains("4d5611e5-241a-462a-8d15-5122611a9569"), sinceIds.toString());
    assertTrue(sinceIds.stream().noneMatch(id -> id.startsWith("d6e0bada")), "ended 2026-02-10: " + sinceIds);

    JsonNode until = ok("sessions", Map.of("until", "2026-02-11", "timezone", "UTC", "limit", 100)).path("sessions");
    until.forEach(s -> assertTrue(s.path("firstActivity").asText().compareTo("2026-02-12") < 0, s.toString()));
    assertFalse(until.isEmpty());

    JsonNode partial = ok("sessions", Map.of("outcome", "partial", "limit", 100)).path("sessions");
    assertFalse(partial.isEmpty());
    partial.forEach(s -> assertEquals("PARTIAL", s.path("outcome").asText()));
  }

  @Test
  @Order(1)
  void sessionByIdAndByUniquePrefix() throws Exception {
    JsonNode full = ok("session", Map.of("id", SMALL_SESSION));
    JsonNode prefix = ok("session", Map.of("id", "fed8ce56"));
    assertEquals(SMALL_SESSION, full.path("session").path("sessionId").asText());
    assertEquals(full, prefix);
    for (String field : List.of("session", "models", "timeline", "requests", "tools", "subagents", "files", "unknownModels")) {
      assertTrue(full.has(field), field + " in " + full.fieldNames());
    }
    assertUsage(full.path("session").path("usage"), new long[] {88, 278, 16_000, 44_544}, "0.0777972");
    assertEquals(4, full.path("requests").size());
    assertEquals(full.path("session").path("toolCalls").asInt(), full.path("tools").size());

    JsonNode big = ok("session", Map.of("id", "4d5611e5"));
    assertEquals(152, big.path("requests").size());
    assertEquals(1, big.path("subagents").size());
    assertFalse(big.path("timeline").isEmpty());
  }

  @Test
  @Order(1)
  void aSessionsModelRowsAddUpToItsUsage() throws Exception {
    for (String id : List.of(SMALL_SESSION, "4d5611e5", "ae4a77f8")) {
      JsonNode s = ok("session", Map.of("id", id));
      JsonNode usage = s.path("session").path("usage");
      long[] sum = new long[5];
      BigDecimal cost = BigDecimal.ZERO;
      for (JsonNode m : s.path("models")) {
        JsonNode u = m.path("usage");
        sum[0] += u.path("inputTokens").asLong();
        sum[1] += u.path("outputTokens").asLong();
        sum[2] += u.path("cacheCreationTokens").asLong();
        sum[3] += u.path("cacheReadTokens").asLong();
        sum[4] += u.path("requests").asLong();
        cost = cost.add(u.path("totalCost").decimalValue());
      }
      assertEquals(usage.path("inputTokens").asLong(), sum[0], id + " input: " + s.path("models"));
      assertEquals(usage.path("outputTokens").asLong(), sum[1], id + " output");
      assertEquals(usage.path("cacheCreationTokens").asLong(), sum[2], id + " cache creation");
      assertEquals(usage.path("cacheReadTokens").asLong(), sum[3], id + " cache read");
      assertEquals(usage.path("requests").asLong(), sum[4], id + " requests");
      assertEquals(0, usage.path("totalCost").decimalValue().compareTo(cost), id + " cost " + cost + " vs " + usage);
    }
  }

  @Test
  @Order(1)
  void unknownOrAmbiguousSessionIsNotFound() throws Exception {
    for (String id : List.of("00000000-no-such-session", "4" /* 4d5611e5 and 491e126e */, "%", "_")) {
      JsonNode a = c.request("session", Map.of("id", id));
      assertFalse(a.path("ok").asBoolean(), a.toString());
      assertEquals("NOT_FOUND", a.path("error").path("code").asText(), a.toString());
      assertTrue(a.path("error").path("message").asText().contains(id), a.toString());
    }
  }

  // ------------------------------------------------------------------------ tools, failures, files

  @Test
  @Order(1)
  void tools() throws Exception {
    JsonNode tools = ok("tools", Map.of()).path("tools");
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    long calls = 0;
    for (JsonNode t : tools) {
      byName.put(t.path("tool").asText(), t);
      calls += t.path("calls").asLong();
      for (String f : List.of("tool", "calls", "failures", "rejections", "successRate", "effectiveness", "avgDurationMs")) {
        assertTrue(t.has(f), f + " in " + t);
      }
      double rate = t.path("successRate").asDouble();
      assertTrue(rate >= 0 && rate <= 1, t.toString());
      assertTrue(t.path("failures").asLong() + t.path("rejections").asLong() <= t.path("calls").asLong(), t.toString());
    }
    // counted independently from the transcripts: distinct tool_use ids per tool name
    assertEquals(557, calls);
    assertEquals(224, byName.get("Bash").path("calls").asLong());
    assertEquals(118, byName.get("Edit").path("calls").asLong());
    assertEquals(92, byName.get("Read").path("calls").asLong());
    assertEquals(30, byName.get("Glob").path("calls").asLong());
    assertEquals(25, byName.get("Write").path("calls").asLong());
    assertEquals(0, ok("tools", Map.of("since", "2030-01-01")).path("tools").size());
  }

  @Test
  @Order(1)
  void failuresAndFiles() throws Exception {
    JsonNode failures = ok("failures", Map.of("limit", 3)).path("failures");
    assertEquals(3, failures.size());
    for (JsonNode f : failures) {
      for (String field : List.of("signature", "tool", "errorClass", "inputShape", "occurrences", "sessions", "firstSeen", "lastSeen", "example")) {
        assertTrue(f.has(field), field + " in " + f);
      }
    }
    for (int i = 1; i < failures.size(); i++) {
      assertTrue(failures.get(i - 1).path("occurrences").asLong() >= failures.get(i).path("occurrences").asLong());
    }
    assertTrue(ok("failures", Map.of()).path("failures").size() <= 20);

    JsonNode files = ok("files", Map.of("limit", 5)).path("files");
    assertEquals(5, files.size());
    for (JsonNode f : files) {
      for (String field : List.of("path", "edits", "linesAdded", "linesRemoved", "sessions", "lastChanged")) {
        assertTrue(f.has(field), field + " in " + f);
      }
    }
    JsonNode music = ok("files", Map.of("project", "ai-music", "limit", 100)).path("files");
    assertFalse(music.isEmpty());
    music.forEach(f -> assertTrue(f.path("path").asText().startsWith(SNIFFLY_CWD), f.toString()));
  }

  // ----------------------------------------------------------------------------------------- hooks

  @Test
  @Order(10)
  void postToolUseForATranscriptToolUseJoinsItsRow() throws Exception {
    assertEquals(1, toolCallRows(READ_TOOL_USE), "the transcript's row");
    assertEquals(null, durationOf(READ_TOOL_USE), "the transcript gives no duration for this Read");
    ObjectNode p = payload("PostToolUse", READ_SESSION, SNIFFLY_CWD);
    p.put("tool_name", "Read");
    p.put("tool_use_id", READ_TOOL_USE);
    p.putObject("tool_input").put("file_path", SNIFFLY_CWD + "/README.md");
    p.putObject("tool_response").put("type", "text");
    p.put("duration_ms", 1234);
    JsonNode r = ok("hook", Map.of("payload", p));
    assertEquals("", r.path("context").asText(), "only SessionStart answers with a context");
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1234).equals(durationOf(READ_TOOL_USE)));
    assertEquals(1, toolCallRows(READ_TOOL_USE), "one row: the hook joined the transcript's call and result");
    // and the socket shows it once, with its transcript call time and the hook's duration
    JsonNode tools = ok("session", Map.of("id", READ_SESSION)).path("tools");
    List<JsonNode> mine = new ArrayList<>();
    tools.forEach(t -> {
      if (READ_TOOL_USE.equals(t.path("toolUseId").asText())) {
        mine.add(t);
      }
    });
    assertEquals(1, mine.size(), tools.toString());
    assertEquals(1234, mine.get(0).path("durationMs").asLong());
    assertTrue(mine.get(0).path("success").asBoolean());
    assertEquals("2025-06-08T10:47:12.353Z", mine.get(0).path("ts").asText(), "the transcript's call time");
    // a retried delivery of the same hook changes nothing
    ok("hook", Map.of("payload", p));
    await().atMost(Duration.ofSeconds(10)).until(() -> d.daemon().projector().caughtUp());
    assertEquals(1, toolCallRows(READ_TOOL_USE));
    assertEquals(92, toolsByName().get("Read").path("calls").asLong(), "still 92 Read calls");
  }

  @Test
  @Order(11)
  void postToolUseFailureForANewIdIsAFailedToolCall() throws Exception {
    String id = "toolu_hook_only_failure_1";
    ObjectNode p = payload("PostToolUseFailure", READ_SESSION, SNIFFLY_CWD);
    p.put("tool_name", "HookOnlyTool");
    p.put("tool_use_id", id);
    p.putObject("tool_input").put("command", "make test");
    p.put("error", "Exit code 2\nmake: *** [test] Error 2");
    p.put("is_interrupt", false);
    p.put("duration_ms", 77);
    int errorsBefore = ok("session", Map.of("id", READ_SESSION)).path("session").path("toolErrors").asInt();
    assertEquals("", ok("hook", Map.of("payload", p)).path("context").asText());
    await().atMost(Duration.ofSeconds(10)).until(() -> toolCallRows(id) == 1);
    JsonNode tool = toolsByName().get("HookOnlyTool");
    assertNotNull(tool);
    assertEquals(1, tool.path("calls").asLong());
    assertEquals(1, tool.path("failures").asLong());
    assertEquals(0.0, tool.path("successRate").asDouble());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode s = ok("session", Map.of("id", READ_SESSION));
      assertEquals(errorsBefore + 1, s.path("session").path("toolErrors").asInt());
      JsonNode found = null;
      for (JsonNode t : s.path("tools")) {
        if (id.equals(t.path("toolUseId").asText())) {
          found = t;
        }
      }
      assertNotNull(found, s.path("tools").toString());
      assertFalse(found.path("success").asBoolean(true));
      assertEquals(77, found.path("durationMs").asLong());
      assertTrue(found.path("error").asText().contains("Exit code 2"), found.toString());
    });
  }

  @Test
  @Order(12)
  void sessionStartInASampleProjectGetsItsContext() throws Exception {
    ObjectNode p = payload("SessionStart", "hook-new-session-1", SNIFFLY_CWD);
    p.put("source", "startup");
    p.put("model", "claude-sonnet-4-20250514");
    String context = ok("hook", Map.of("payload", p)).path("context").asText();
    assertFalse(context.isEmpty());
    assertTrue(context.length() <= MAX_CONTEXT, context.length() + " chars: " + context);
    assertTrue(context.startsWith("Loopwatch notes for ai-music:\n"), context);
    assertTrue(context.endsWith("\n"), "whole lines only: " + context);
    // another sample project gets its own notes
    ObjectNode spotter = payload("SessionStart", "hook-new-session-2", "/home/marco/projects/spotter");
    String other = ok("hook", Map.of("payload", spotter)).path("context").asText();
    assertTrue(other.startsWith("Loopwatch notes for spotter:\n"), other);
  }

  @Test
  @Order(13)
  void sessionStartInAnUnknownDirectoryGetsNothing() throws Exception {
    ObjectNode p = payload("SessionStart", "hook-new-session-3", "/nowhere/never/seen");
    p.put("source", "startup");
    assertEquals("", ok("hook", Map.of("payload", p)).path("context").asText());
    ObjectNode noCwd = SocketClient.JSON.createObjectNode();
    noCwd.put("hook_event_name", "SessionStart");
    noCwd.put("session_id", "hook-new-session-4");
    assertEquals("", ok("hook", Map.of("payload", noCwd)).path("context").asText());
  }

  @Test
  @Order(14)
  void aNonObjectPayloadIsDeadLetteredAndAnsweredWithNoContext() throws Exception {
    String garbage = "this is not a hook payload {";
    assertEquals("", ok("hook", Map.of("raw", garbage)).path("context").asText());
    assertEquals("", ok("hook", Map.of("payload", List.of(1, 2, 3))).path("context").asText());
    assertEquals("", ok("hook", Map.of()).path("context").asText());
    Path deadLetters = d.deadLetters();
    List<JsonNode> letters = new ArrayList<>();
    try (Stream<String> lines = Files.lines(deadLetters)) {
      for (String l : lines.toList()) {
        letters.add(SocketClient.JSON.readTree(l));
      }
    }
    assertTrue(
        letters.stream().anyMatch(l -> l.path("path").asText().equals("hook") && l.path("head").asText().equals(garbage)),
        letters.toString());
    assertTrue(letters.stream().anyMatch(l -> l.path("head").asText().equals("[1,2,3]")), letters.toString());
    // the daemon is unharmed
    ok("ping", Map.of());
  }

  @Test
  @Order(15)
  void unknownHookEventsAreKeptAndAnswered() throws Exception {
    ObjectNode p = payload("SomethingNew", READ_SESSION, SNIFFLY_CWD);
    p.put("detail", "x");
    p.putObject("nested").put("a", 1);
    assertEquals("", ok("hook", Map.of("payload", p)).path("context").asText());
    JsonNode bad = c.request("hook", Map.of("payload", p, "extra", 1));
    assertEquals("BAD_ARGS", bad.path("error").path("code").asText(), bad.toString());
  }

  // --------------------------------------------------------------------------------------- rebuild

  @Test
  @Order(20)
  void rebuildReturnsTheEventCountAndKeepsTheNumbers() throws Exception {
    JsonNode costBefore = ok("cost", Map.of("by", "day", "timezone", "UTC"));
    JsonNode sessionBefore = ok("session", Map.of("id", SMALL_SESSION));
    await().atMost(Duration.ofSeconds(10)).until(() -> d.daemon().projector().caughtUp());
    long appliedBefore = ok("status", Map.of()).path("store").path("eventsApplied").asLong();
    JsonNode r = ok("rebuild", Map.of());
    long events = r.path("events").asLong();
    assertTrue(events > 2000, r.toString());
    assertTrue(r.path("ms").asLong() >= 0);
    // every event projected since the start, once more
    assertEquals(appliedBefore, events, r.toString());
    JsonNode store = ok("status", Map.of()).path("store");
    assertEquals(appliedBefore + events, store.path("eventsApplied").asLong(), "eventsApplied counts since the start: " + store);
    assertTrue(store.path("caughtUp").asBoolean(), store.toString());
    assertEquals(costBefore, ok("cost", Map.of("by", "day", "timezone", "UTC")));
    assertUsage(ok("cost", Map.of()).path("totals"), CCUSAGE_TOKENS, CCUSAGE_COST);
    JsonNode sessionAfter = ok("session", Map.of("id", SMALL_SESSION));
    assertEquals(sessionBefore.path("models"), sessionAfter.path("models"));
    assertEquals(sessionBefore.path("tools"), sessionAfter.path("tools"));
    // the hooks were journaled, so they survive the rebuild
    assertEquals(Long.valueOf(1234), durationOf(READ_TOOL_USE));
    assertEquals(1, toolCallRows("toolu_hook_only_failure_1"));
  }

  // --------------------------------------------------------------------------------------- helpers

  /** Sends an op on the shared connection and returns its result; fails on an error answer. */
  private JsonNode ok(String op, Map<String, ?> args) throws IOException {
    JsonNode a = c.request(op, args);
    assertTrue(a.path("ok").asBoolean(false), op + " " + args + " -> " + a);
    assertEquals(1, a.path("v").asInt());
    return a.path("result");
  }

  private Map<String, JsonNode> toolsByName() throws IOException {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    ok("tools", Map.of()).path("tools").forEach(t -> m.put(t.path("tool").asText(), t));
    return m;
  }

  private static ObjectNode payload(String event, String session, String cwd) {
    ObjectNode p = SocketClient.JSON.createObjectNode();
    p.put("session_id", session);
    p.put("transcript_path", "/home/someone/.claude/projects/x/" + session + ".jsonl");
    p.put("cwd", cwd);
    p.put("permission_mode", "default");
    p.put("hook_event_name", event);
    return p;
  }

  private long toolCallRows(String toolUseId) throws Exception {
    try (Connection conn = d.daemon().database().connection();
        PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM tool_calls WHERE tool_use_id = ?")) {
      ps.setString(1, toolUseId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private Long durationOf(String toolUseId) throws Exception {
    try (Connection conn = d.daemon().database().connection();
        PreparedStatement ps = conn.prepareStatement("SELECT duration_ms FROM tool_calls WHERE tool_use_id = ?")) {
      ps.setString(1, toolUseId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? (Long) rs.getObject(1) : null;
      }
    }
  }

  private static JsonNode rowsByKey(JsonNode report) {
    ObjectNode m = SocketClient.JSON.createObjectNode();
    report.path("rows").forEach(r -> m.set(r.path("key").asText(), r));
    return m;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static void assertUsage(JsonNode u, long[] tokens, String cost) {
    assertNotNull(u);
    assertEquals(tokens[0], u.path("inputTokens").asLong(), "input: " + u);
    assertEquals(tokens[1], u.path("outputTokens").asLong(), "output: " + u);
    assertEquals(tokens[2], u.path("cacheCreationTokens").asLong(), "cache creation: " + u);
    assertEquals(tokens[3], u.path("cacheReadTokens").asLong(), "cache read: " + u);
    assertEquals(tokens[0] + tokens[1] + tokens[2] + tokens[3], u.path("totalTokens").asLong(), "total: " + u);
    assertTrue(u.path("totalCost").isBigDecimal() || u.path("totalCost").isNumber(), u.toString());
    assertEquals(0, new BigDecimal(cost).compareTo(u.path("totalCost").decimalValue()), "cost " + cost + ": " + u);
  }
}
