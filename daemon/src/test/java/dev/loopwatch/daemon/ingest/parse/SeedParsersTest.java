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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed-era hook scripts' logs, in the shapes those scripts write (seeds/, and the scripts they name). */
class SeedParsersTest {
  private static final Path CLAUDE = Path.of("/home/u/proj/.claude");

  private static ParserHarness harness(SourceKind kind, String file) {
    return new ParserHarness(kind, CLAUDE, CLAUDE.resolve(file));
  }

  private static Instant local(String isoWithoutZone) {
    return LocalDateTime.parse(isoWithoutZone).atZone(ZoneId.systemDefault()).toInstant();
  }

  @Test
  void statusLineMetricsSnapshots() throws BadLineException {
    Event e = harness(SourceKind.SEED_SESSION_METRICS, "stats/session_metrics.jsonl").lines(
        "{'session_id':'b6d7c547','timestamp':'2025-10-20T16:30:07.486185','model':'Sonnet 4.5',"
            + "'tokens':{'input':9,'output':3,'cache_creation':19364,'cache_read':104591,'total':123964},"
            + "'context_percent':62.0,'cost_usd':1.2494,'duration_minutes':17.09,'lines_changed':{'added':1114,'removed':0},"
            + "'context':{'git_branch':'002-mempool','task_description':'Recent commit','agent_name':null,'working_dir':'UTXOracle'}}")
        .sink.only(EventKind.SESSION_STATE);
    assertEquals("metrics", e.attr("state"));
    assertEquals("b6d7c547", e.sessionId());
    assertEquals(local("2025-10-20T16:30:07.486185"), e.ts());
    assertEquals("1.2494", e.attr("costUSD"));
    assertEquals("62", e.attr("contextPercent"));
    assertEquals("1114", e.attr("linesAdded"));
    assertEquals("19364", e.attr("cacheCreationTokens"));
    assertEquals("002-mempool", e.attr("gitBranch"));
    assertNull(e.attr("agentName"));
    assertNull(e.usage(), "cumulative totals are not one request's usage");
  }

  @Test
  void sessionEventsAreToolFailures() throws BadLineException {
    List<Event> e = harness(SourceKind.SEED_SESSION_EVENTS, "stats/session_events.jsonl").lines(
        "{'timestamp':'2025-10-20T16:30:00','session_id':'b6d7','tool_name':'Edit','event_type':'tdd_block',"
            + "'success':true,'error_message':'Premature implementation violation. Write tests first'}",
        "{'timestamp':'2025-10-20T16:31:00','session_id':'unknown','tool_name':'Bash','event_type':'failure',"
            + "'success':false,'error_message':null}")
        .sink.of(EventKind.TOOL_RESULT);
    assertEquals("Edit", e.get(0).tool());
    assertEquals(Boolean.FALSE, e.get(0).success());
    assertEquals("tdd_block", e.get(0).attr("eventType"));
    assertEquals("Premature implementation violation. Write tests first", e.get(0).error());
    assertEquals(Boolean.FALSE, e.get(1).success());
    assertNull(e.get(1).sessionId(), "'unknown' is no session");
  }

  @Test
  void serviceRestartsAndChecks() throws BadLineException {
    List<Event> e = harness(SourceKind.SEED_SELF_HEALING, "logs/self-healing/services.jsonl").lines(
        "{'ts':'2026-02-12T08:00:00Z','service':'ollama','action':'restart','result':'attempting'}",
        "{'ts':'2026-02-12T08:00:05Z','service':'ollama','action':'restart','result':'success'}",
        "{'ts':'2026-02-12T08:00:05Z','service':'dashboard','action':'restart','result':'failed_verify'}",
        "{'ts':'2026-02-12T08:00:05Z','service':'rag_mcp','action':'check','result':'healthy'}")
        .sink.events;
    assertEquals(List.of(EventKind.SERVICE_RESTART, EventKind.SERVICE_RESTART, EventKind.SERVICE_RESTART,
        EventKind.SERVICE_CHECK), e.stream().map(Event::kind).toList());
    assertNull(e.get(0).success());
    assertEquals(Boolean.TRUE, e.get(1).success());
    assertEquals(Boolean.FALSE, e.get(2).success());
    assertEquals(Boolean.TRUE, e.get(3).success());
    assertEquals("ollama", e.get(1).attr("service"));
    assertEquals(Instant.parse("2026-02-12T08:00:05Z"), e.get(1).ts());
  }

  @Test
  void failureCatalogEntries() throws BadLineException {
    Event e = harness(SourceKind.SEED_SELF_HEALING, "logs/self-healing/failure-catalog.jsonl").lines(
        "{'type':'tool_failure','tool':'Bash','title':'Failure: Bash - Exit code 1','input_summary':'{\\'command\\': \\'npm test\\'}',"
            + "'error':'Exit code 1 secret=xyz','error_signature':'9f2c','project':'/home/u/proj','session_id':'s1',"
            + "'timestamp':'2026-02-12T08:00:00Z','confidence':0.7}")
        .sink.only(EventKind.TOOL_RESULT);
    assertEquals("Bash", e.tool());
    assertEquals(Boolean.FALSE, e.success());
    assertEquals("Exit code 1 secret=[REDACTED]", e.error());
    assertEquals("9f2c", e.signature());
    assertEquals("/home/u/proj", e.project());
    assertEquals("s1", e.sessionId());
  }

  @Test
  void otherSelfHealingLogs() throws BadLineException {
    assertEquals(EventKind.ESCALATION, harness(SourceKind.SEED_SELF_HEALING, "logs/self-healing/escalations.jsonl")
        .lines("{'signature':'9f2c','count':7,'window_days':7}").sink.events.get(0).kind());
    Event raw = harness(SourceKind.SEED_SELF_HEALING, "logs/self-healing/config-tuning.jsonl")
        .lines("{'param':'ttl','old':30,'new':45,'nested':{'x':1}}").sink.only(EventKind.RAW);
    assertEquals("45", raw.attr("new"));
    assertNull(raw.attr("nested"));
  }

  @Test
  void endOfSessionMetrics() throws BadLineException {
    Event e = harness(SourceKind.SEED_LOG_SESSION_METRICS, "logs/session-metrics.jsonl").lines(
        "{'ts':'2026-02-12T09:00:00Z','session_id':'s1','total_tool_calls':42,'tool_counts':{'Bash':20},"
            + "'search_hit_rate':0.5,'hot_files':['a'],'agent_spawns':2,'duration_min':12.5,'projects':['p']}")
        .sink.only(EventKind.SESSION_STATE);
    assertEquals("metrics", e.attr("state"));
    assertEquals("42", e.attr("total_tool_calls"));
    assertEquals("0.5", e.attr("search_hit_rate"));
    assertEquals(750_000L, e.durationMs());
    assertNull(e.attr("tool_counts"));
  }

  @Test
  void observations() throws BadLineException {
    List<Event> e = harness(SourceKind.SEED_OBSERVATIONS, "observations/active-session.jsonl").lines(
        "{'ts':'2026-02-12T09:00:00Z','session_id':'s1','tool':'Read','files':['/p/a.py'],'output':'...','project':'proj'}",
        "{'ts':'2026-02-12T09:00:01Z','sid':'s1','tool':'Bash','event':'PostToolUseFailure','error':'Exit code 2'}",
        "{'ts':'2026-02-12T09:00:02Z','event':'pre_compact','observation_count':118}",
        "{'ts':'2026-02-12T09:00:03Z','note':'hello'}")
        .sink.events;
    assertEquals(EventKind.TOOL_RESULT, e.get(0).kind());
    assertEquals("/p/a.py", e.get(0).attr("filePath"));
    assertNull(e.get(0).success());
    assertEquals(Boolean.FALSE, e.get(1).success());
    assertEquals("s1", e.get(1).sessionId());
    assertEquals("Exit code 2", e.get(1).error());
    assertEquals(EventKind.COMPACTION, e.get(2).kind());
    assertEquals("118", e.get(2).attr("observationCount"));
    assertEquals(EventKind.RAW, e.get(3).kind());
  }

  @Test
  void executionsAndTheirOutcomes() throws BadLineException {
    Event exec = harness(SourceKind.SEED_EXECUTION_LOG, "v3/self-learning/execution-log.jsonl").lines(
        "{'id':'exec_001','timestamp':'2025-12-25T10:00:00Z','command':'/build-prd','params':{'feature':'payments'},"
            + "'domain':'revenue','user':'user_id','related_to':null}")
        .sink.only(EventKind.CLI_ACTION);
    assertEquals("/build-prd", exec.attr("command"));
    assertEquals("exec_001", exec.attr("execId"));
    assertEquals("revenue", exec.attr("domain"));
    List<Event> outcomes = harness(SourceKind.SEED_OUTCOMES, "v3/self-learning/outcomes.jsonl").lines(
        "{'exec_id':'exec_001','outcome':'success','evidence':{'tests_passed':true,'build_succeeded':true,"
            + "'code_review_issues':0,'user_action':'committed'},'quality_score':95}",
        "{'exec_id':'exec_003','outcome':'failure','evidence':{'tests_passed':false,'error':'Missing audit logging'},"
            + "'quality_score':30}")
        .sink.of(EventKind.OUTCOME);
    assertEquals(Boolean.TRUE, outcomes.get(0).success());
    assertEquals("95", outcomes.get(0).attr("qualityScore"));
    assertEquals("true", outcomes.get(0).attr("testsPassed"));
    assertEquals("committed", outcomes.get(0).attr("userAction"));
    assertEquals(Boolean.FALSE, outcomes.get(1).success());
    assertEquals("Missing audit logging", outcomes.get(1).error());
    assertEquals("exec_003", outcomes.get(1).attr("execId"));
  }

  @Test
  void contextBundles() throws BadLineException {
    String bundle = ("{'session_id':'b6d7c547','created_at':'2025-10-20T17:01:08.289081','operations':["
        + "{'operation':'read','timestamp':'2025-10-20T17:01:08.289099','file_path':'/p/session-manager.js'},"
        + "{'operation':'bash','timestamp':'2025-10-20T17:01:17.013360','command':'find src -name *.sql','description':'Find SQL'},"
        + "{'operation':'mcp__serena__think','timestamp':'2025-10-20T17:01:23.123002'},"
        + "{'operation':'task','timestamp':'2025-10-20T17:02:42.247616','subagent_type':'general-purpose','prompt':'Analyze'},"
        + "{'operation':'write','timestamp':'2025-10-20T17:10:02.944110','file_path':'/p/REPORT.md','content_length':14457},"
        + "{'no_operation':true}],'last_updated':'2025-10-20T17:10:02.944128'}").replace('\'', '"');
    ParserHarness h = harness(SourceKind.SEED_CONTEXT_BUNDLE, "context_bundles/20_oct_session_b6d7c547.json").whole(bundle);
    List<Event> calls = h.sink.of(EventKind.TOOL_CALL);
    assertEquals(List.of("Read", "Bash", "mcp__serena__think", "Task", "Write"), calls.stream().map(Event::tool).toList());
    assertEquals("find src -name *.sql", calls.get(1).attr("command"));
    assertEquals(local("2025-10-20T17:01:08.289099"), calls.get(0).ts());
    assertTrue(calls.stream().allMatch(e -> "b6d7c547".equals(e.sessionId())));
    List<Event> touches = h.sink.of(EventKind.FILE_TOUCH);
    assertEquals(2, touches.size());
    assertEquals("write", touches.get(1).attr("op"));
    assertEquals("14457", touches.get(1).attr("contentLength"));
    assertEquals("general-purpose", h.sink.only(EventKind.SUBAGENT).attr("subagentType"));

    // the bundle is rewritten after every tool use: the old operations are the same events again
    List<String> first = h.sink.events.stream().map(Event::id).toList();
    h.whole(bundle);
    assertEquals(first, h.sink.events.subList(first.size(), h.sink.events.size()).stream().map(Event::id).toList());
  }

  @Test
  void contextBundleSessionFromTheFileName() throws BadLineException {
    Event e = harness(SourceKind.SEED_CONTEXT_BUNDLE, "context_bundles/21_oct_session_0fee4b1d.json")
        .whole("{\"operations\":[{\"operation\":\"edit\",\"file_path\":\"/p/x\"}]}").sink.only(EventKind.FILE_TOUCH);
    assertEquals("0fee4b1d", e.sessionId());
    assertEquals("edit", e.attr("op"));
  }

  @Test
  void brokenBundles() throws BadLineException {
    assertThrows(BadLineException.class, () -> harness(SourceKind.SEED_CONTEXT_BUNDLE, "context_bundles/x.json").whole("{"));
    assertTrue(harness(SourceKind.SEED_CONTEXT_BUNDLE, "context_bundles/x.json").whole("{\"operations\":7}").sink.events.isEmpty());
  }

  @Test
  void oneLineOutcomes() throws BadLineException {
    Event e = harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("✅ SUCCESS: Implemented feature X\n").sink.only(EventKind.OUTCOME);
    assertEquals("SUCCESS", e.attr("outcome"));
    assertEquals(Boolean.TRUE, e.success());
    assertEquals("Implemented feature X", e.attr("summary"));
    assertEquals(Fixtures.INGESTED, e.ts());
    assertEquals("BLOCKED", harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("🚫 BLOCKED: TDD guard issue").sink.events.get(0).attr("outcome"));
    assertEquals("UNKNOWN", harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("went ok I guess").sink.events.get(0).attr("outcome"));
  }

  @Test
  void structuredOutcomes() throws BadLineException {
    Event e = harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome").whole(
        "Status: PARTIAL\nTask: Implement context-monitor v2\nSummary: Added git branch\n"
            + "Issues: TDD guard blocked once\nNext: Test with multiple sessions\n").sink.only(EventKind.OUTCOME);
    assertEquals("PARTIAL", e.attr("outcome"));
    assertNull(e.success());
    assertEquals("Implement context-monitor v2", e.attr("task"));
    assertEquals("Added git branch", e.attr("summary"));
    assertEquals("Test with multiple sessions", e.attr("next"));
    assertEquals("FAILED", harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("Status: FAILED\nEvents: 7").sink.events.get(0).attr("outcome"));
  }

  @Test
  void anOutcomeBelongsToTheProjectOfItsClaudeDirAndToTheTimeItWasWritten() throws BadLineException {
    Instant written = Instant.parse("2026-03-10T12:00:00Z");
    Event e = harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("✅ SUCCESS: done", written).sink.only(EventKind.OUTCOME);
    assertEquals("/home/u/proj", e.project());
    assertEquals(written, e.ts());
    assertNull(e.sessionId());
    assertNull(e.attr(ParseContext.NO_SOURCE_TIME), "the file's time is a source time");
  }

  @Test
  void anOutcomeInAClaudeHomeOfAnotherNameBelongsToNoProject() throws BadLineException {
    Path config = Path.of("/home/u/claude-config");
    Event e = new ParserHarness(SourceKind.SEED_SESSION_OUTCOME, config, config.resolve(".session_outcome"))
        .whole("✅ SUCCESS: done").sink.only(EventKind.OUTCOME);
    assertNull(e.project());
  }

  @Test
  void theSameWordsWrittenAgainLaterAreANewOutcome() throws BadLineException {
    Instant t = Instant.parse("2026-03-10T12:00:00Z");
    List<Event> e = harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("✅ SUCCESS: a", t).whole("✅ SUCCESS: a", t).whole("✅ SUCCESS: a", t.plusSeconds(60)).sink.events;
    assertEquals(e.get(0).id(), e.get(1).id(), "a re-read of the same version");
    assertNotEquals(e.get(0).id(), e.get(2).id(), "written again a minute later");
  }

  @Test
  void outcomeKeysDistinguishContentButNotRereads() throws BadLineException {
    ParserHarness h = harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome")
        .whole("✅ SUCCESS: a").whole("✅ SUCCESS: a").whole("❌ FAILED: b");
    List<Event> e = h.sink.events;
    assertEquals(e.get(0).id(), e.get(1).id());
    assertNotEquals(e.get(0).id(), e.get(2).id());
    assertTrue(harness(SourceKind.SEED_SESSION_OUTCOME, ".session_outcome").whole("  \n").sink.events.isEmpty());
  }

  @Test
  void everySeedLineParserRejectsNonObjects() {
    for (SourceKind kind : List.of(SourceKind.SEED_SESSION_METRICS, SourceKind.SEED_SESSION_EVENTS,
        SourceKind.SEED_SELF_HEALING, SourceKind.SEED_LOG_SESSION_METRICS, SourceKind.SEED_OBSERVATIONS,
        SourceKind.SEED_EXECUTION_LOG, SourceKind.SEED_OUTCOMES)) {
      assertThrows(BadLineException.class, () -> harness(kind, "x.jsonl").lines("[]"), kind.name());
      assertThrows(BadLineException.class, () -> harness(kind, "x.jsonl").lines("3"), kind.name());
    }
  }

  @Test
  void everySeedLineParserSurvivesAnEmptyObjectAndOddTypes() throws BadLineException {
    for (SourceKind kind : List.of(SourceKind.SEED_SESSION_METRICS, SourceKind.SEED_SESSION_EVENTS,
        SourceKind.SEED_SELF_HEALING, SourceKind.SEED_LOG_SESSION_METRICS, SourceKind.SEED_OBSERVATIONS,
        SourceKind.SEED_EXECUTION_LOG, SourceKind.SEED_OUTCOMES)) {
      ParserHarness h = harness(kind, "x.jsonl").lines("{}",
          "{'timestamp':[],'ts':{},'session_id':5,'tool':7,'tool_name':[],'error':{},'service':[],'tokens':'x',"
              + "'lines_changed':3,'evidence':'none','files':'a','duration_min':'long','cost_usd':'cheap'}");
      assertEquals(2, h.sink.events.size(), kind.name());
    }
  }
}
