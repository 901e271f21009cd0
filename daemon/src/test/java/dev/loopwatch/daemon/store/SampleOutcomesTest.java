package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.store.query.Queries;
import dev.loopwatch.daemon.store.query.SessionDetail;
import dev.loopwatch.daemon.store.query.SessionQuery;
import dev.loopwatch.daemon.store.query.SessionRow;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the real sample sessions went, as a real daemon judges them after reading the real transcripts:
 * the golden {@code golden/store/sessions.json}, whose every verdict and counter was checked against the
 * raw files (an independent script over the JSONL lines: prompts typed by the user, distinct requests
 * with the agent_progress copies, tool_use ids, is_error results with rejections and sibling
 * cancellations apart, interruption markers, Task spawns, compact boundaries, failure times), and the
 * session list and detail queries on them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleOutcomesTest {
  static final String SHORT = "55604662-cf2a-4331-851a-ec234028f8ca"; // spotter short.jsonl
  static final String TOOL_HEAVY = "d6e0bada-1959-4eec-a9d2-0bfade768d8f"; // spotter tool_heavy.jsonl
  static final String SUBAGENT = "491e126e-1e71-469c-ade2-fcc8af567c74"; // spotter subagent.jsonl
  static final String DOV = "4d5611e5-241a-462a-8d15-5122611a9569";
  static final String FOUR_TE = "ae4a77f8-aedd-4bc1-888f-c94edc91af04";
  static final String INIT = "ba79134d-b6e9-4867-af0c-6941038c9e4b"; // sniffly
  static final String MUSIC = "d3ad4cdc-5657-435d-98fa-0035d53e383d"; // sniffly
  static final String PUSH = "fed8ce56-bc79-401f-a83e-af084253362f"; // sniffly
  static final String SUMMARY_ONLY = "ff71dbed-a4f2-4284-a4fc-fe2fb90de929"; // sniffly, one summary line

  TestDaemon d;
  Queries queries;
  Map<String, SessionRow> all;

  @BeforeAll
  void ingestSamples(@TempDir Path tmp) throws Exception {
    d = new TestDaemon(tmp);
    d.startOnSamples();
    queries = d.daemon().queries();
    all = list(null, null, null, null, ZoneOffset.UTC).stream()
        .collect(Collectors.toMap(SessionRow::sessionId, Function.identity()));
  }

  @AfterAll
  void stop() {
    d.close();
  }

  @Test
  void everySessionMatchesItsGoldenOutcome() throws Exception {
    ObjectNode golden = StoreGolden.MAPPER.createObjectNode();
    for (SessionRow r : all.values().stream().sorted(Comparator.comparing(SessionRow::sessionId)).toList()) {
      ObjectNode s = golden.putObject(r.sessionId());
      s.put("project", r.project());
      // a session without activity (a file holding only a summary line) has only the time it was read
      boolean active = r.outcome() != null;
      s.put("first_activity", active ? r.firstActivity().toString() : null);
      s.put("last_activity", active ? r.lastActivity().toString() : null);
      s.put("outcome", r.outcome());
      s.put("outcome_reason", r.outcomeReason());
      s.put("prompts", r.prompts());
      s.put("requests", r.requests());
      s.put("tool_calls", r.toolCalls());
      s.put("tool_errors", r.toolErrors());
      s.put("rejections", r.rejections());
      s.put("interrupts", r.interrupts());
      s.put("subagents", r.subagents());
      s.put("compactions", r.compactions());
      s.put("error_storm", r.errorStorm());
    }
    StoreGolden.check("sessions.json", golden);
  }

  // ------------------------------------------------------------- the verdicts, against the raw files

  /** short.jsonl lines 11-13: two rejected tool uses, then "[Request interrupted by user for tool use]"; then only /model. */
  @Test
  void shortEndsWithTheUserRejectingAToolUse() throws Exception {
    SessionRow s = all.get(SHORT);
    assertEquals("BLOCKED", s.outcome());
    assertEquals("the user rejected the last tool use", s.outcomeReason());
    SessionDetail detail = queries.session(SHORT);
    assertEquals(2, detail.tools().size());
    assertTrue(detail.tools().stream().allMatch(t -> t.rejected() && Boolean.FALSE.equals(t.success())), detail.tools().toString());
    // the timeline ends as the file does: both rejections, then the interruption, all in one millisecond
    List<String> end = detail.timeline().subList(detail.timeline().size() - 3, detail.timeline().size()).stream()
        .map(e -> e.kind() + (e.detail() == null ? "" : "/" + e.detail())).toList();
    assertEquals(List.of("TOOL_RESULT", "TOOL_RESULT", "SESSION_STATE/interrupted"), end);
    // no answer of the model after the rejection: its only request came before
    assertEquals(1, detail.requests().size());
    assertTrue(detail.requests().get(0).ts().isBefore(detail.tools().get(1).ts().plusSeconds(1)));
    assertTrue(s.needsReview());
  }

  /** tool_heavy.jsonl line 39, the last: "[Request interrupted by user]" after the WebFetch result. */
  @Test
  void toolHeavyEndsWithAnInterruption() throws Exception {
    SessionRow s = all.get(TOOL_HEAVY);
    assertEquals("BLOCKED", s.outcome());
    assertEquals("the user interrupted after the last tool result", s.outcomeReason());
    SessionDetail detail = queries.session(TOOL_HEAVY);
    SessionDetail.TimelineEntry last = detail.timeline().get(detail.timeline().size() - 1);
    assertEquals("SESSION_STATE", last.kind());
    assertEquals("interrupted", last.detail());
    assertTrue(detail.tools().stream().allMatch(t -> Boolean.TRUE.equals(t.success())), "every tool worked");
    assertEquals(2, s.interrupts(), "an earlier interruption at 22:58:03, recovered from with /mcp and a new prompt");
  }

  /** d3ad4cdc's last line asks for "python radical_musical_ai.py"; no result ever came. */
  @Test
  void musicStoppedWhileItsLastCommandRan() throws Exception {
    SessionRow s = all.get(MUSIC);
    assertEquals("BLOCKED", s.outcome());
    SessionDetail detail = queries.session(MUSIC);
    SessionDetail.ToolUse last = detail.tools().get(detail.tools().size() - 1);
    assertEquals("Bash", last.tool());
    assertEquals("python radical_musical_ai.py", last.input());
    assertNull(last.success());
    assertNull(last.error());
    assertEquals(58, detail.tools().stream().filter(t -> t.success() != null).count(), "every other call answered");
    assertEquals(last.ts(), s.lastActivity(), "it is the session's last activity");
  }

  /** The PARTIAL sessions really recovered: failures, rejections or interruptions, then working tools to the end. */
  @Test
  void thePartialSessionsRecovered() throws Exception {
    for (String id : List.of(PUSH, SUBAGENT, DOV, FOUR_TE)) {
      SessionRow s = all.get(id);
      assertEquals("PARTIAL", s.outcome(), id);
      assertTrue(s.toolErrors() + s.rejections() + s.interrupts() > 0, id);
      SessionDetail detail = queries.session(id);
      List<SessionDetail.ToolUse> answered = detail.tools().stream().filter(t -> t.success() != null).toList();
      assertEquals(Boolean.TRUE, answered.get(answered.size() - 1).success(), id + " ends on a working tool");
    }
    // fed8ce56: git commit and push rejected ("The user doesn't want to proceed..." / "...take this action
    // right now"), "continue", then the same two commands succeeded ("Successfully pushed to GitHub!")
    SessionDetail push = queries.session(PUSH);
    List<SessionDetail.ToolUse> tools = push.tools();
    assertEquals(2, tools.stream().filter(SessionDetail.ToolUse::rejected).count());
    assertEquals("git push origin main", tools.get(tools.size() - 1).input());
    assertEquals(Boolean.TRUE, tools.get(tools.size() - 1).success());
    // subagent.jsonl line 69: "[Request interrupted by user]", then "create the beads" and three bd commands
    assertEquals(1, all.get(SUBAGENT).interrupts());
  }

  @Test
  void theCleanSessionSucceeded() {
    assertEquals("SUCCESS", all.get(INIT).outcome());
    assertEquals(0, all.get(INIT).toolErrors());
    assertFalse(all.get(INIT).needsReview());
  }

  /** A file holding only a 1.x summary line makes a session with no activity: not listed, no outcome. */
  @Test
  void theSummaryOnlyFileIsNoListedSession() throws Exception {
    assertFalse(all.containsKey(SUMMARY_ONLY));
    SessionRow s = queries.session(SUMMARY_ONLY).session();
    assertNull(s.outcome());
    assertEquals("no activity", s.outcomeReason());
    assertFalse(s.needsReview());
  }

  /** ae4a77f8: 5 pre-commit and shell failures between 14:22:23 and 14:30:33 (8 min 10 s). */
  @Test
  void onlyTheRealErrorStormIsOne() {
    assertTrue(all.get(FOUR_TE).errorStorm());
    assertTrue(all.get(FOUR_TE).needsReview(), "a storm needs a look even when the session recovered");
    // 4d5611e5's one missing file and its 7 cancelled siblings are no storm; its 5 later failures span 29 min
    assertFalse(all.get(DOV).errorStorm());
    assertEquals(1, all.values().stream().filter(SessionRow::errorStorm).count());
  }

  @Test
  void fewerThanTenSessionsWithCostsAreNeverHighCost() {
    assertTrue(all.values().stream().noneMatch(SessionRow::highCost));
    assertEquals(
        List.of(MUSIC, SHORT, TOOL_HEAVY, FOUR_TE),
        all.values().stream().filter(SessionRow::needsReview).map(SessionRow::sessionId).sorted(
            Comparator.comparing(id -> List.of(MUSIC, SHORT, TOOL_HEAVY, FOUR_TE).indexOf(id))).toList());
  }

  // ------------------------------------------------------------------------------ the session list

  @Test
  void mostRecentFirstAndLimited() throws Exception {
    List<SessionRow> rows = list(null, null, null, null, ZoneOffset.UTC);
    for (int i = 1; i < rows.size(); i++) {
      assertFalse(rows.get(i).lastActivity().isAfter(rows.get(i - 1).lastActivity()), rows.toString());
    }
    assertEquals(
        List.of(DOV, FOUR_TE, TOOL_HEAVY),
        queries.sessions(new SessionQuery(null, null, null, null, ZoneOffset.UTC, 3)).stream()
            .map(SessionRow::sessionId).toList());
  }

  @Test
  void filteredByProjectSubstring() throws Exception {
    assertEquals(sorted(DOV, FOUR_TE), ids(list("spotter-worktrees", null, null, null, ZoneOffset.UTC)));
    assertEquals(sorted(DOV, FOUR_TE, SHORT, SUBAGENT, TOOL_HEAVY), ids(list("spotter", null, null, null, ZoneOffset.UTC)));
    assertEquals(sorted(INIT, MUSIC, PUSH), ids(list("ai-music", null, null, null, ZoneOffset.UTC)));
    assertEquals(sorted(), ids(list("AI-MUSIC", null, null, null, ZoneOffset.UTC)), "case matters, as in paths");
  }

  @Test
  void filteredByOutcome() throws Exception {
    assertEquals(sorted(MUSIC, SHORT, TOOL_HEAVY), ids(list(null, null, null, "blocked", ZoneOffset.UTC)));
    assertEquals(sorted(DOV, FOUR_TE, PUSH, SUBAGENT), ids(list(null, null, null, "PARTIAL", ZoneOffset.UTC)));
    assertEquals(sorted(INIT), ids(list(null, null, null, "success", ZoneOffset.UTC)));
    assertEquals(sorted(), ids(list(null, null, null, "failed", ZoneOffset.UTC)));
  }

  /**
   * A session is listed for the days it was active in, as calendar days of the zone asked for. The
   * spotter evening of 2026-02-10 (21:11 to 22:59 UTC) is the next morning in Tokyo and Kolkata.
   */
  @Test
  void filteredByDaysInTheUsersZone() throws Exception {
    LocalDate feb10 = LocalDate.of(2026, 2, 10);
    LocalDate feb11 = LocalDate.of(2026, 2, 11);
    LocalDate feb12 = LocalDate.of(2026, 2, 12);
    LocalDate feb13 = LocalDate.of(2026, 2, 13);
    List<String> evening = List.of(SHORT, SUBAGENT, TOOL_HEAVY);
    assertEquals(sorted(evening), ids(list(null, feb10, feb10, null, ZoneOffset.UTC)));
    assertEquals(sorted(), ids(list(null, feb11, feb11, null, ZoneOffset.UTC)));
    assertEquals(sorted(), ids(list(null, feb10, feb10, null, ZoneId.of("Asia/Tokyo"))));
    assertEquals(sorted(evening), ids(list(null, feb11, feb11, null, ZoneId.of("Asia/Tokyo"))));
    assertEquals(sorted(), ids(list(null, feb10, feb10, null, ZoneId.of("Asia/Kolkata"))));
    assertEquals(sorted(evening), ids(list(null, feb11, feb11, null, ZoneId.of("Asia/Kolkata"))));
    // 4d5611e5 ran 16:02-21:03 UTC: 21:32-02:33 in Kolkata, so it is on the 12th and the 13th there
    assertEquals(sorted(DOV, FOUR_TE), ids(list(null, feb12, feb12, null, ZoneId.of("Asia/Kolkata"))));
    assertEquals(sorted(DOV), ids(list(null, feb13, feb13, null, ZoneId.of("Asia/Kolkata"))));
    assertEquals(sorted(DOV, FOUR_TE), ids(list(null, feb12, feb12, null, ZoneId.of("America/Los_Angeles"))));
    // since alone, until alone, and the sniffly June 2025 sessions out of both
    assertEquals(sorted(DOV, FOUR_TE), ids(list("spotter", feb12, null, null, ZoneOffset.UTC)));
    assertEquals(sorted(INIT, MUSIC, PUSH), ids(list(null, null, LocalDate.of(2025, 12, 31), null, ZoneOffset.UTC)));
    assertEquals(sorted(INIT, MUSIC), ids(list(null, null, LocalDate.of(2025, 6, 9), null, ZoneOffset.UTC)));
  }

  // ----------------------------------------------------------------------------- a session in detail

  @Test
  void dovInDetail() throws Exception {
    SessionDetail s = queries.session("4d5611e5");
    assertEquals(DOV, s.session().sessionId());
    assertEquals(152, s.requests().size());
    assertEquals(183, s.tools().size());
    // the timeline is in time order and starts with the user's first prompt
    List<SessionDetail.TimelineEntry> timeline = s.timeline();
    for (int i = 1; i < timeline.size(); i++) {
      assertFalse(timeline.get(i).ts().isBefore(timeline.get(i - 1).ts()), "entry " + i);
    }
    assertEquals("PROMPT", timeline.get(0).kind());
    assertTrue(timeline.get(0).text().startsWith("Work on bead spotter-dov."));
    // within one millisecond too: a cancelled sibling's result is written in the millisecond of the
    // next call (16:02:53.684), and a Task's spawn shares its call's line
    for (int i = 1; i < timeline.size(); i++) {
      SessionDetail.TimelineEntry before = timeline.get(i - 1);
      SessionDetail.TimelineEntry after = timeline.get(i);
      if (before.ts().equals(after.ts())) {
        assertFalse(before.kind().equals("TOOL_RESULT") && after.kind().equals("TOOL_CALL"), "entry " + i + ": " + after);
        assertFalse(before.kind().equals("SUBAGENT") && after.kind().equals("TOOL_CALL"), "entry " + i + ": " + after);
      }
    }
    // tools in time order; 6 real failures with their signatures; 7 siblings cancelled by the first one
    for (int i = 1; i < s.tools().size(); i++) {
      assertFalse(s.tools().get(i).ts().isBefore(s.tools().get(i - 1).ts()));
    }
    List<SessionDetail.ToolUse> failed = s.tools().stream().filter(t -> Boolean.FALSE.equals(t.success())).toList();
    assertEquals(6, failed.size(), failed.toString());
    assertTrue(failed.stream().allMatch(t -> t.signature() != null && t.error() != null && !t.rejected()));
    assertEquals("Read", failed.get(0).tool());
    assertEquals("<tool_use_error>File does not exist.</tool_use_error>", failed.get(0).error());
    assertEquals(List.of("Read", "Bash", "Bash", "Bash", "Bash", "Bash"), failed.stream().map(SessionDetail.ToolUse::tool).toList());
    List<SessionDetail.ToolUse> cancelled =
        s.tools().stream().filter(t -> t.success() == null && t.error() != null).toList();
    assertEquals(7, cancelled.size());
    assertTrue(cancelled.stream().allMatch(t -> t.error().contains("Sibling tool call errored") && t.signature() == null));
    // its one subagent, as the Task call and its toolUseResult describe it
    assertEquals(1, s.subagents().size());
    SessionDetail.Subagent explore = s.subagents().get(0);
    assertEquals("toolu_017pLRuPHYTX5t99EnLyV53m", explore.toolUseId());
    assertEquals("a2898e3", explore.agentId());
    assertEquals("Explore", explore.type());
    assertEquals("Explore transcript rendering codebase", explore.description());
    assertEquals("sonnet", explore.model());
    assertEquals("completed", explore.status());
    assertEquals(76_365L, explore.totalTokens());
    assertEquals(33L, explore.toolUses());
    assertEquals(141_871L, explore.durationMs());
    // files: reads and changes in time order, lines counted from the structured patches
    List<SessionDetail.FileTouch> files = s.files();
    for (int i = 1; i < files.size(); i++) {
      assertFalse(files.get(i).ts().isBefore(files.get(i - 1).ts()));
    }
    SessionDetail.FileTouch created = files.stream().filter(f -> f.op().equals("create")).findFirst().orElseThrow();
    assertTrue(created.path().endsWith("/lib/spotter_web/live/transcript_computers.ex"));
    assertEquals(42, created.linesAdded());
    SessionDetail.FileTouch bigEdit =
        files.stream().filter(f -> f.path().endsWith("/transcript_renderer_test.exs") && f.op().equals("edit")).findFirst().orElseThrow();
    assertEquals(378, bigEdit.linesAdded());
    assertEquals(0, bigEdit.linesRemoved());
    assertTrue(files.stream().anyMatch(f -> f.op().equals("read")), "the detail lists reads too");
    assertEquals(List.of(), s.unknownModels());
  }

  @Test
  void aSessionByAnAmbiguousOrUnknownPrefixIsNotFound() throws Exception {
    assertNull(queries.session("d"), "d3ad4cdc and d6e0bada");
    assertNull(queries.session("nope"));
    assertNotNull(queries.session("d6"));
    assertNotNull(queries.session(PUSH));
  }

  private List<SessionRow> list(String project, LocalDate since, LocalDate until, String outcome, ZoneId zone)
      throws Exception {
    return queries.sessions(new SessionQuery(project, since, until, outcome, zone, 1000));
  }

  private static List<String> sorted(String... ids) {
    return java.util.Arrays.stream(ids).sorted().toList();
  }

  private static List<String> sorted(List<String> ids) {
    return ids.stream().sorted().toList();
  }

  private static List<String> ids(List<SessionRow> rows) {
    return rows.stream().map(SessionRow::sessionId).sorted().toList();
  }
}
