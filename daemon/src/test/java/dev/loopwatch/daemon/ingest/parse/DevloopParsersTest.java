package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** devloop's logs, in the shapes its writers (telemetry, audit logger, feedback store, …) produce. */
class DevloopParsersTest {
  private static final Path DEVLOOP = Path.of("/home/u/proj/.devloop");

  private static ParserHarness harness(SourceKind kind, String file) {
    return new ParserHarness(kind, DEVLOOP, DEVLOOP.resolve(file));
  }

  @Test
  void telemetryEvents() throws BadLineException {
    List<Event> e = harness(SourceKind.DEVLOOP_EVENTS, "events.jsonl").lines(
        "{'event_type':'agent_executed','timestamp':'2025-12-12T10:23:45.123456+00:00','agent':'linter',"
            + "'duration_ms':812,'findings':3,'severity_levels':['error','warning'],'success':true,'details':{}}",
        "{'event_type':'pre_push_check','timestamp':'2025-12-12T10:24:00+00:00','duration_ms':4000,'success':false,"
            + "'findings':1,'details':{'checks_run':5,'prevented_bad_push':true}}",
        "{'event_type':'agent_finding','timestamp':'2025-12-12T10:25:00+00:00','agent':'linter',"
            + "'severity_levels':['error'],'details':{'finding_type':'lint-error','description':'unused import','file':'a.py','line':3}}")
        .sink.events;
    Event run = e.get(0);
    assertEquals(EventKind.TOOL_RESULT, run.kind());
    assertEquals("linter", run.tool());
    assertEquals(812L, run.durationMs());
    assertEquals(Boolean.TRUE, run.success());
    assertEquals("error,warning", run.attr("severityLevels"));
    assertEquals("3", run.attr("findings"));
    assertEquals(Instant.parse("2025-12-12T10:23:45.123456Z"), run.ts());
    Event push = e.get(1);
    assertEquals("pre_push_check", push.tool());
    assertEquals(Boolean.FALSE, push.success());
    assertEquals("5", push.attr("checksRun"));
    assertEquals("true", push.attr("preventedBadPush"));
    Event finding = e.get(2);
    assertEquals(EventKind.RAW, finding.kind());
    assertEquals("agent_finding", finding.attr("eventType"));
    assertEquals("unused import", finding.attr("details.description"));
    assertEquals("3", finding.attr("details.line"));
  }

  @Test
  void auditEntries() throws BadLineException {
    List<Event> e = harness(SourceKind.DEVLOOP_AUDIT, "agent-audit.log").lines(
        "{'timestamp':'2025-12-12T10:00:00+00:00','agent_name':'formatter','action_type':'fix_applied',"
            + "'message':'Applied formatting fix to a.py','success':true,'duration_ms':40,'file_modifications':["
            + "{'path':'/p/a.py','action':'modified','line_count_before':10,'line_count_after':12},"
            + "{'path':'/p/b.py','action':'modified'}]}",
        "{'timestamp':'2025-12-12T10:01:00+00:00','agent_name':'test-runner','action_type':'command_executed',"
            + "'message':'Command executed','success':false,'duration_ms':9000,'command':'pytest -x --token=abc',"
            + "'exit_code':1,'error':'1 failed'}",
        "{'timestamp':'2025-12-12T10:02:00+00:00','agent_name':'linter','action_type':'finding_reported',"
            + "'message':'unused import','success':true,'duration_ms':0,'findings_count':1}")
        .sink.events;
    assertEquals(List.of(EventKind.FILE_TOUCH, EventKind.FILE_TOUCH, EventKind.TOOL_RESULT, EventKind.RAW),
        e.stream().map(Event::kind).toList());
    assertEquals("fix", e.get(0).attr("op"));
    assertEquals("/p/a.py", e.get(0).attr("filePath"));
    assertEquals("12", e.get(0).attr("linesAfter"));
    assertEquals("/p/b.py", e.get(1).attr("filePath"));
    Event cmd = e.get(2);
    assertEquals("test-runner", cmd.tool());
    assertEquals("pytest -x --token=[REDACTED]", cmd.attr("command"));
    assertEquals("1", cmd.attr("exitCode"));
    assertEquals("1 failed", cmd.error());
    assertEquals(9000L, cmd.durationMs());
    assertEquals("1", e.get(3).attr("findingsCount"));
  }

  @Test
  void feedback() throws BadLineException {
    List<Event> e = harness(SourceKind.DEVLOOP_FEEDBACK, "feedback/feedback.jsonl").lines(
        "{'id':'0b6a7c1e-1111-4a2b-9c3d-000000000001','agent_name':'linter','event_type':'file:modified',"
            + "'feedback_type':'thumbs_down','value':true,'comment':'too noisy','context':{},'timestamp':1734000000.25}",
        "{'id':'0b6a7c1e-1111-4a2b-9c3d-000000000002','agent_name':'linter','event_type':'file:modified',"
            + "'feedback_type':'rating','value':4,'comment':null,'timestamp':1734000100.5}")
        .sink.of(EventKind.FEEDBACK);
    assertEquals("thumbs_down", e.get(0).attr("feedbackType"));
    assertEquals(Boolean.FALSE, e.get(0).success());
    assertEquals("too noisy", e.get(0).attr("comment"));
    assertEquals(Instant.ofEpochSecond(1734000000, 250_000_000), e.get(0).ts());
    assertEquals("4", e.get(1).attr("value"));
    assertNull(e.get(1).success());
  }

  @Test
  void performanceMetrics() throws BadLineException {
    Event e = harness(SourceKind.DEVLOOP_METRICS, "metrics.jsonl").lines(
        "{'operation_name':'agent:linter','start_time':1734000000.0,'end_time':1734000001.5,'duration':1.5,"
            + "'success':false,'error_message':'boom','metadata':{},'cpu_used':2.5,'memory_used_mb':12.25}")
        .sink.only(EventKind.RAW);
    assertEquals("agent:linter", e.tool());
    assertEquals(1500L, e.durationMs());
    assertEquals(Boolean.FALSE, e.success());
    assertEquals("boom", e.error());
    assertEquals(Instant.ofEpochSecond(1734000000), e.ts());
    assertEquals("12.25", e.attr("memoryUsedMb"));
  }

  @Test
  void cliActions() throws BadLineException {
    List<Event> e = harness(SourceKind.DEVLOOP_CLI_ACTIONS, "cli-actions.jsonl").lines(
        "{'timestamp':'2025-12-12T10:23:45+00:00','command':'bd ready','exit_code':0,'thread_id':'T-7f39',"
            + "'duration_ms':120,'working_dir':'/home/u/proj','output_size_bytes':88}",
        "{'timestamp':'2025-12-12T10:24:45+00:00','command':'devloop watch','exit_code':2,'error_message':'no config'}",
        "{'timestamp':'2025-12-12T10:25:45+00:00','command':'devloop status'}")
        .sink.of(EventKind.CLI_ACTION);
    assertEquals("bd ready", e.get(0).attr("command"));
    assertEquals(Boolean.TRUE, e.get(0).success());
    assertEquals("T-7f39", e.get(0).sessionId());
    assertEquals("/home/u/proj", e.get(0).project());
    assertEquals(120L, e.get(0).durationMs());
    assertEquals(Boolean.FALSE, e.get(1).success());
    assertEquals("no config", e.get(1).error());
    assertNull(e.get(2).success());
  }

  @Test
  void ampThreadSnapshotsRepeatTheSameEvents() throws BadLineException {
    String first = "{'timestamp':'2025-12-12T10:23:45Z','thread_id':'T-7f39','thread_url':'https://ampcode.com/threads/T-7f39',"
        + "'user_prompt':'Implement linter integration','agent_actions':[{'action':'cli_command','command':'devloop watch',"
        + "'output':'Linter found 5 issues','timestamp':'2025-12-12T10:24:00Z','success':true}],'user_manual_actions':[],"
        + "'insights':[]}";
    String second = "{'timestamp':'2025-12-12T10:23:45Z','thread_id':'T-7f39','thread_url':'https://ampcode.com/threads/T-7f39',"
        + "'user_prompt':'Implement linter integration','agent_actions':[{'action':'cli_command','command':'devloop watch',"
        + "'output':'Linter found 5 issues','timestamp':'2025-12-12T10:24:00Z','success':true}],"
        + "'user_manual_actions':[{'action':'manual_fix','description':'Fixed formatting by hand',"
        + "'time_after_agent_action':120,'timestamp':'2025-12-12T10:26:00Z','related_agent_actions':[0]}],"
        + "'insights':[{'pattern':'user_manual_fix_after_agent','severity':'medium','message':'manual fix'}]}";
    ParserHarness h = harness(SourceKind.DEVLOOP_AMP_THREADS, "amp-thread-log.jsonl").lines(first, second);
    List<Event> e = h.sink.events;
    assertEquals(List.of(EventKind.PROMPT, EventKind.CLI_ACTION, EventKind.PROMPT, EventKind.CLI_ACTION,
        EventKind.FEEDBACK, EventKind.RAW), e.stream().map(Event::kind).toList());
    assertEquals(e.get(0).id(), e.get(2).id());
    assertEquals(e.get(1).id(), e.get(3).id());
    assertEquals("T-7f39", e.get(0).sessionId());
    assertEquals("Implement linter integration", e.get(0).attr("text"));
    assertEquals("devloop watch", e.get(1).attr("command"));
    assertEquals("manual_action", e.get(4).attr("feedbackType"));
    assertEquals("Fixed formatting by hand", e.get(4).attr("comment"));
    assertEquals("120", e.get(4).attr("secondsAfterAgent"));
    assertEquals("user_manual_fix_after_agent", e.get(5).attr("pattern"));
  }

  @Test
  void everyDevloopParserRejectsNonObjectsAndSurvivesOddShapes() throws BadLineException {
    for (SourceKind kind : List.of(SourceKind.DEVLOOP_EVENTS, SourceKind.DEVLOOP_AUDIT, SourceKind.DEVLOOP_FEEDBACK,
        SourceKind.DEVLOOP_METRICS, SourceKind.DEVLOOP_CLI_ACTIONS, SourceKind.DEVLOOP_AMP_THREADS)) {
      assertThrows(BadLineException.class, () -> harness(kind, "x.jsonl").lines("[]"), kind.name());
      harness(kind, "x.jsonl").lines("{}",
          "{'event_type':'agent_executed','action_type':'file_created','file_modifications':'x','agent_actions':{},"
              + "'user_manual_actions':[1,'a',null],'insights':[[]],'severity_levels':'error','duration':'long',"
              + "'exit_code':'zero','timestamp':{},'value':{'a':1},'details':[]}");
    }
  }
}
