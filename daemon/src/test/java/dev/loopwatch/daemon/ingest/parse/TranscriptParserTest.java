package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.event.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transcript lines of every shape the formats allow, including the odd ones. */
class TranscriptParserTest {
  private static final Path ROOT = Path.of("/home/u/.claude/projects/-home-u-proj");
  private static final Path MAIN = ROOT.resolve("sess-1.jsonl");
  private static final Path SUBAGENT = ROOT.resolve("sess-1/subagents/agent-a77.jsonl");
  private static final String ENVELOPE =
      "'cwd':'/home/u/proj','sessionId':'sess-1','version':'2.1.39','gitBranch':'main','isSidechain':false,"
          + "'timestamp':'2026-02-12T16:02:50.956Z'";

  private final CollectingSink sink = new CollectingSink();

  /** JSON written with single quotes, for readable test lines (a literal quote is \\u0027). */
  static JsonNode j(String singleQuoted) {
    return Fixtures.json(singleQuoted.replace('\'', '"'));
  }

  private void parse(Path file, String... lines) throws BadLineException {
    ParseContext ctx = new ParseContext(new SourceFile(file, SourceKind.CLAUDE_TRANSCRIPT, ROOT), "stream-1", "m", sink);
    long offset = 0;
    for (String line : lines) {
      ctx.at(offset, Fixtures.INGESTED);
      TranscriptParser.INSTANCE.parse(j(line), ctx);
      offset += line.length() + 1;
    }
  }

  private void parse(String... lines) throws BadLineException {
    parse(MAIN, lines);
  }

  @Test
  void aLineThatIsNotAnObjectIsBad() {
    assertThrows(BadLineException.class, () -> parse("[1,2]"));
    assertThrows(BadLineException.class, () -> parse("'just text'"));
    assertThrows(BadLineException.class, () -> parse("null"));
  }

  @Test
  void unknownAndUntypedLinesYieldNothing() throws BadLineException {
    parse("{'type':'file-history-snapshot','messageId':'m','snapshot':{}}",
        "{'type':'queue-operation','operation':'enqueue','content':'/mcp'}",
        "{'type':'attachment','attachment':{'type':'file'}}",
        "{'type':'something-new-in-2027','x':1}",
        "{'type':42}",
        "{'message':{'role':'assistant','usage':{'input_tokens':1}}}");
    assertTrue(sink.events.isEmpty(), sink.events.toString());
  }

  @Test
  void assistantUsageWithTheCacheBreakdown() throws BadLineException {
    parse("{" + ENVELOPE + ",'type':'assistant','uuid':'u1','requestId':'req_1','message':{'model':'claude-opus-4-6',"
        + "'id':'msg_1','stop_reason':'tool_use','content':[],'usage':{'input_tokens':3,'output_tokens':13,"
        + "'cache_creation_input_tokens':13835,'cache_read_input_tokens':11515,"
        + "'cache_creation':{'ephemeral_5m_input_tokens':35,'ephemeral_1h_input_tokens':13800},"
        + "'server_tool_use':{'web_search_requests':2}}}}");
    Event e = sink.only(EventKind.API_USAGE);
    assertEquals(new Usage(3, 13, 35, 13800, 11515, 2), e.usage());
    assertEquals("claude-opus-4-6", e.model());
    assertEquals("msg_1", e.attr("msgId"));
    assertEquals("req_1", e.attr("reqId"));
    assertEquals("main", e.attr("origin"));
    assertEquals("tool_use", e.attr("stopReason"));
    assertEquals("sess-1", e.sessionId());
    assertEquals("/home/u/proj", e.project());
    assertEquals(Instant.parse("2026-02-12T16:02:50.956Z"), e.ts());
    assertEquals("u1", e.attr("uuid"));
    assertEquals("2.1.39", e.attr("version"));
    assertEquals("main", e.attr("gitBranch"));
    assertEquals("false", e.attr("sidechain"));
    assertEquals("claude.transcript", e.source());
    assertEquals(List.of(Path.of("/home/u/proj")), sink.projectReports);
  }

  @Test
  void withoutTheBreakdownAllCacheWritesAreFiveMinuteWrites() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','message':{'id':'m','usage':{'input_tokens':4,"
        + "'cache_creation_input_tokens':3877,'cache_read_input_tokens':10215,'output_tokens':5}}}");
    assertEquals(new Usage(4, 5, 3877, 0, 10215, 0), sink.only(EventKind.API_USAGE).usage());
  }

  @Test
  void oddUsageValuesReadAsZero() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','message':{'usage':{'input_tokens':-5,'output_tokens':'12',"
        + "'cache_read_input_tokens':null,'cache_creation':{},'cache_creation_input_tokens':7,'server_tool_use':3}}}");
    assertEquals(new Usage(0, 12, 7, 0, 0, 0), sink.only(EventKind.API_USAGE).usage());
  }

  @Test
  void usageThatIsNotAnObjectIsNoUsage() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','message':{'usage':'lots','content':'plain text'}}",
        "{'type':'assistant','uuid':'u2','message':'not an object'}",
        "{'type':'assistant','uuid':'u3'}");
    assertTrue(sink.events.isEmpty());
  }

  @Test
  void syntheticErrorsAndEarlyCostFields() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','isApiErrorMessage':true,'costUSD':0.00001234,'speed':'fast',"
        + "'message':{'model':'<synthetic>','id':'m','usage':{'input_tokens':0,'output_tokens':0}}}");
    Event e = sink.only(EventKind.API_USAGE);
    assertEquals("<synthetic>", e.model());
    assertEquals("true", e.attr("apiError"));
    assertEquals("0.00001234", e.attr("costUSD"));
    assertEquals("fast", e.attr("speed"));
  }

  @Test
  void speedInsideUsage() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','message':{'usage':{'input_tokens':1,'speed':'fast'}}}");
    assertEquals("fast", sink.only(EventKind.API_USAGE).attr("speed"));
  }

  @Test
  void repeatedLinesOfOneResponseEachEmitUnderTheirOwnUuid() throws BadLineException {
    String a = "{'type':'assistant','uuid':'%s','requestId':'r','message':{'id':'m','usage':{'output_tokens':%d}}}";
    parse(String.format(a, "u1", 10), String.format(a, "u2", 299));
    List<Event> usage = sink.of(EventKind.API_USAGE);
    assertEquals(2, usage.size());
    assertNotEquals(usage.get(0).id(), usage.get(1).id());
    assertEquals(299, usage.get(1).usage().output());
  }

  @Test
  void theSameLineReadTwiceIsTheSameEvent() throws BadLineException {
    String line = "{'type':'assistant','uuid':'u1','message':{'id':'m','usage':{'output_tokens':1}}}";
    parse(line);
    parse(line);
    assertEquals(sink.events.get(0).id(), sink.events.get(1).id());
  }

  @Test
  void aLineWithoutUuidIsKeyedByItsPosition() throws BadLineException {
    String line = "{'type':'assistant','message':{'id':'m','usage':{'output_tokens':1}}}";
    parse(line, line);
    assertNotEquals(sink.events.get(0).id(), sink.events.get(1).id());
  }

  @Test
  void toolCallsAndSubagentSpawns() throws BadLineException {
    parse("{" + ENVELOPE + ",'type':'assistant','uuid':'u1','message':{'model':'claude-opus-4-6','id':'m','content':["
        + "{'type':'text','text':'Let me look.'},"
        + "{'type':'tool_use','id':'toolu_1','name':'Bash','input':{'command':'curl -H \\u0027Authorization: Bearer abcdefghijklmnop\\u0027 x',"
        + "'description':'Fetch'}},"
        + "{'type':'tool_use','id':'toolu_2','name':'Edit','input':{'file_path':'/home/u/proj/a.ex','old_string':'x','new_string':'y'}},"
        + "{'type':'tool_use','id':'toolu_3','name':'Task','input':{'description':'Plan it','prompt':'...',"
        + "'subagent_type':'Plan','model':'haiku'}},"
        + "{'type':'server_tool_use','id':'srvtoolu_4','name':'web_search','input':{'query':'xterm.js tmux'}},"
        + "{'type':'tool_use','name':'Grep','input':{'pattern':'def .*','path':'lib'}},"
        + "{'type':'tool_use','id':'toolu_6','name':'Read','input':'not an object'}]}}");
    List<Event> calls = sink.of(EventKind.TOOL_CALL);
    assertEquals(6, calls.size());
    Event bash = calls.get(0);
    assertEquals("Bash", bash.tool());
    assertEquals("toolu_1", bash.attr("toolUseId"));
    assertEquals("curl -H 'Authorization: Bearer [REDACTED]' x", bash.attr("command"));
    assertEquals("Fetch", bash.attr("description"));
    assertEquals("claude-opus-4-6", bash.model());
    assertEquals("/home/u/proj/a.ex", calls.get(1).attr("filePath"));
    assertEquals("Plan", calls.get(2).attr("subagentType"));
    assertEquals("haiku", calls.get(2).attr("subagentModel"));
    assertEquals("web_search", calls.get(3).tool());
    assertEquals("xterm.js tmux", calls.get(3).attr("query"));
    assertEquals("def .*", calls.get(4).attr("pattern"));
    assertEquals("lib", calls.get(4).attr("filePath"));
    assertNull(calls.get(4).attr("toolUseId"));
    assertEquals("Read", calls.get(5).tool());

    Event spawn = sink.only(EventKind.SUBAGENT);
    assertEquals("spawn", spawn.attr("phase"));
    assertEquals("toolu_3", spawn.attr("toolUseId"));
    assertEquals("Plan", spawn.attr("subagentType"));
    assertEquals("Plan it", spawn.attr("description"));
    assertEquals("haiku", spawn.attr("subagentModel"));
  }

  @Test
  void theAgentToolSpawnsToo() throws BadLineException {
    parse("{'type':'assistant','uuid':'u1','message':{'content':[{'type':'tool_use','id':'t','name':'Agent',"
        + "'input':{'subagent_type':'Explore'}}]}}");
    assertEquals("Explore", sink.only(EventKind.SUBAGENT).attr("subagentType"));
  }

  @Test
  void typedPromptsAreRedactedAndCut() throws BadLineException {
    String secret = "sk-ant-api03-ABCDEFGHIJKLMNOPQRST";
    parse("{" + ENVELOPE + ",'type':'user','uuid':'p1','message':{'role':'user','content':'deploy with " + secret
        + " " + "x".repeat(3000) + "'}}");
    Event p = sink.only(EventKind.PROMPT);
    assertEquals("text", p.attr("promptKind"));
    assertTrue(p.attr("text").startsWith("deploy with [REDACTED] xxx"));
    assertEquals(2000, p.attr("text").length());
    assertEquals(Integer.toString(12 + secret.length() + 1 + 3000), p.attr("length"));
  }

  @Test
  void metaLinesAndCompactionSummariesAreNotPrompts() throws BadLineException {
    parse("{'type':'user','uuid':'a','isMeta':true,'message':{'content':'<local-command-caveat>Caveat</local-command-caveat>'}}",
        "{'type':'user','uuid':'b','isCompactSummary':true,'message':{'content':'This session is being continued'}}",
        "{'type':'user','uuid':'c','isMeta':true,'message':{'content':[{'type':'text','text':'Base directory for this skill'}]}}",
        "{'type':'user','uuid':'d','message':{'content':'<system-reminder>\\nhook context</system-reminder>'}}",
        "{'type':'user','uuid':'e','message':{'content':''}}",
        "{'type':'user','uuid':'f','message':{'content':null}}",
        "{'type':'user','uuid':'g','message':{'content':{'odd':true}}}",
        "{'type':'user','uuid':'h','message':'text'}",
        "{'type':'user','uuid':'i'}");
    assertTrue(sink.events.isEmpty(), sink.events.toString());
  }

  @Test
  void interruptionsAsStringAndAsBlock() throws BadLineException {
    parse("{'type':'user','uuid':'i1','message':{'content':'[Request interrupted by user]'}}",
        "{'type':'user','uuid':'i2','message':{'content':[{'type':'text','text':'[Request interrupted by user for tool use]'}]}}");
    List<Event> states = sink.of(EventKind.SESSION_STATE);
    assertEquals(2, states.size());
    assertEquals("interrupted", states.get(0).attr("state"));
    assertEquals("false", states.get(0).attr("forToolUse"));
    assertEquals("true", states.get(1).attr("forToolUse"));
    assertTrue(sink.of(EventKind.PROMPT).isEmpty());
  }

  @Test
  void slashCommandsAndTheirOutput() throws BadLineException {
    parse("{'type':'user','uuid':'c1','message':{'content':'<command-name>/compact</command-name>\\n"
            + "<command-message>compact</command-message>\\n<command-args>and continue</command-args>'}}",
        "{'type':'user','uuid':'c2','message':{'content':'<command-message>init is analyzing</command-message>\\n"
            + "<command-name>init</command-name>\\n<command-args></command-args>'}}",
        "{'type':'user','uuid':'c3','message':{'content':'<local-command-stdout>Reconnected to tidewave.</local-command-stdout>'}}",
        "{'type':'user','uuid':'c4','message':{'content':'<task-notification>\\n<status>completed</status>\\n</task-notification>'}}");
    List<Event> prompts = sink.of(EventKind.PROMPT);
    assertEquals(4, prompts.size());
    assertEquals("command", prompts.get(0).attr("promptKind"));
    assertEquals("/compact", prompts.get(0).attr("command"));
    assertEquals("/compact and continue", prompts.get(0).attr("text"));
    assertEquals("21", prompts.get(0).attr("length"));
    assertEquals("/init", prompts.get(1).attr("command"));
    assertEquals("/init", prompts.get(1).attr("text"));
    assertEquals("commandOutput", prompts.get(2).attr("promptKind"));
    assertEquals("Reconnected to tidewave.", prompts.get(2).attr("output"));
    assertNull(prompts.get(2).attr("text"));
    assertEquals("notification", prompts.get(3).attr("promptKind"));
  }

  @Test
  void textBlocksBesideToolResultsArePrompts() throws BadLineException {
    parse("{'type':'user','uuid':'x','message':{'content':[{'type':'tool_result','tool_use_id':'t1','content':'ok'},"
        + "{'type':'text','text':'now run the tests'},{'type':'image','source':{}}]}}");
    assertEquals("now run the tests", sink.only(EventKind.PROMPT).attr("text"));
    assertEquals(Boolean.TRUE, sink.only(EventKind.TOOL_RESULT).success());
  }

  @Test
  void toolResultsSucceedUnlessMarkedAsErrors() throws BadLineException {
    parse("{'type':'user','uuid':'r1','message':{'content':[{'type':'tool_result','tool_use_id':'t1','content':'Python 3.11.5'}]},"
            + "'toolUseResult':{'stdout':'Python 3.11.5','stderr':'','interrupted':false,'isImage':false}}",
        "{'type':'user','uuid':'r2','message':{'content':[{'type':'tool_result','tool_use_id':'t2','is_error':true,"
            + "'content':[{'type':'text','text':'Exit code 1'},{'type':'text','text':'password=hunter2 rejected'}]}]},"
            + "'toolUseResult':'Error: Exit code 1'}",
        "{'type':'user','uuid':'r3','message':{'content':[{'type':'tool_result','tool_use_id':'t3','is_error':false,"
            + "'content':null}]},'toolUseResult':{'durationMs':412,'filenames':[],'numFiles':0}}");
    List<Event> results = sink.of(EventKind.TOOL_RESULT);
    assertEquals(3, results.size());
    Event ok = results.get(0);
    assertEquals(Boolean.TRUE, ok.success());
    assertNull(ok.error());
    assertEquals("false", ok.attr("interrupted"));
    assertEquals("t1", ok.attr("toolUseId"));
    Event failed = results.get(1);
    assertEquals(Boolean.FALSE, failed.success());
    assertEquals("Exit code 1\npassword=[REDACTED] rejected", failed.error());
    assertNull(failed.attr("rejected"));
    assertEquals(412L, results.get(2).durationMs());
    assertTrue(sink.of(EventKind.FILE_TOUCH).isEmpty());
  }

  @Test
  void rejectionsByTheUser() throws BadLineException {
    parse("{'type':'user','uuid':'r1','message':{'content':[{'type':'tool_result','tool_use_id':'t1','is_error':true,"
            + "'content':'The user doesn\\u0027t want to proceed with this tool use.'}]},'toolUseResult':'User rejected tool use'}",
        "{'type':'user','uuid':'r2','message':{'content':[{'type':'tool_result','tool_use_id':'t2','is_error':true,"
            + "'content':'The user doesn\\u0027t want to take this action right now.'}]},"
            + "'toolUseResult':'The user doesn\\u0027t want to take this action right now.'}",
        "{'type':'user','uuid':'r3','message':{'content':[{'type':'tool_result','tool_use_id':'t3','is_error':true,"
            + "'content':'<tool_use_error>String to replace not found</tool_use_error>'}]}}");
    List<Event> results = sink.of(EventKind.TOOL_RESULT);
    assertEquals("true", results.get(0).attr("rejected"));
    assertEquals("true", results.get(1).attr("rejected"));
    assertNull(results.get(2).attr("rejected"));
    assertTrue(results.stream().allMatch(e -> Boolean.FALSE.equals(e.success())));
  }

  @Test
  void editsCountTheirPatchLines() throws BadLineException {
    parse("{'type':'user','uuid':'e1','message':{'content':[{'type':'tool_result','tool_use_id':'t1','content':'ok'}]},"
        + "'toolUseResult':{'filePath':'/p/a.ex','oldString':'a','newString':'b','originalFile':'...','replaceAll':false,"
        + "'userModified':true,'structuredPatch':[{'oldStart':1,'lines':[' ctx','-old','+new','+new2']},"
        + "{'lines':['-gone','--- not a header']}, {'lines':'odd'}, 5]}}");
    Event touch = sink.only(EventKind.FILE_TOUCH);
    assertEquals("/p/a.ex", touch.attr("filePath"));
    assertEquals("edit", touch.attr("op"));
    assertEquals("2", touch.attr("linesAdded"));
    assertEquals("3", touch.attr("linesRemoved"));
    assertEquals("true", touch.attr("userModified"));
    assertEquals("t1", touch.attr("toolUseId"));
  }

  @Test
  void writesCreatesAndReads() throws BadLineException {
    parse("{'type':'user','uuid':'w1','message':{'content':[{'type':'tool_result','tool_use_id':'t1','content':'ok'}]},"
            + "'toolUseResult':{'type':'create','filePath':'/p/new.ex','content':'a\\nb\\nc','structuredPatch':[]}}",
        "{'type':'user','uuid':'w2','message':{'content':[{'type':'tool_result','tool_use_id':'t2','content':'ok'}]},"
            + "'toolUseResult':{'type':'update','filePath':'/p/old.ex','content':'x','structuredPatch':[{'lines':['-a','+b']}]}}",
        "{'type':'user','uuid':'w3','message':{'content':[{'type':'tool_result','tool_use_id':'t3','content':'...'}]},"
            + "'toolUseResult':{'type':'text','file':{'filePath':'/p/read.ex','content':'...','numLines':3}}}",
        "{'type':'user','uuid':'w4','message':{'content':[{'type':'tool_result','tool_use_id':'t4','content':'...'}]},"
            + "'toolUseResult':{'filePath':'/p/plan.md','isAgent':false,'plan':'...'}}",
        "{'type':'user','uuid':'w5','message':{'content':[{'type':'tool_result','tool_use_id':'t5','content':'...'}]},"
            + "'toolUseResult':{'cell_number':1,'new_source':'x','edit_mode':'replace'}}");
    List<Event> touches = sink.of(EventKind.FILE_TOUCH);
    assertEquals(3, touches.size());
    assertEquals("create", touches.get(0).attr("op"));
    assertEquals("3", touches.get(0).attr("linesAdded"));
    assertEquals("0", touches.get(0).attr("linesRemoved"));
    assertEquals("write", touches.get(1).attr("op"));
    assertEquals("1", touches.get(1).attr("linesAdded"));
    assertEquals("read", touches.get(2).attr("op"));
    assertEquals("/p/read.ex", touches.get(2).attr("filePath"));
    assertNull(touches.get(2).attr("linesAdded"));
  }

  @Test
  void lineCounts() {
    assertEquals(0, FileTouches.lineCount(""));
    assertEquals(1, FileTouches.lineCount("a"));
    assertEquals(1, FileTouches.lineCount("a\n"));
    assertEquals(2, FileTouches.lineCount("a\nb"));
  }

  @Test
  void finishedSubagents() throws BadLineException {
    parse("{'type':'user','uuid':'d1','message':{'content':[{'type':'tool_result','tool_use_id':'toolu_9',"
        + "'content':[{'type':'text','text':'report'}]}]},'toolUseResult':{'status':'completed','prompt':'...',"
        + "'agentId':'a2898e3','content':[],'totalDurationMs':141871,'totalTokens':76365,'totalToolUseCount':33,"
        + "'usage':{'input_tokens':1}}}");
    Event done = sink.only(EventKind.SUBAGENT);
    assertEquals("done", done.attr("phase"));
    assertEquals("a2898e3", done.attr("subagentId"));
    assertEquals("completed", done.attr("status"));
    assertEquals("76365", done.attr("totalTokens"));
    assertEquals("33", done.attr("toolUses"));
    assertEquals("toolu_9", done.attr("toolUseId"));
    assertEquals(141871L, done.durationMs());
    assertEquals(141871L, sink.only(EventKind.TOOL_RESULT).durationMs());
    assertTrue(sink.of(EventKind.API_USAGE).isEmpty(), "the Task result's usage is the subagent's, counted from its own lines");
  }

  @Test
  void systemLines() throws BadLineException {
    parse("{" + ENVELOPE + ",'type':'system','subtype':'compact_boundary','uuid':'s1','content':'Conversation compacted',"
            + "'compactMetadata':{'trigger':'auto','preTokens':167094}}",
        "{'type':'system','subtype':'turn_duration','uuid':'s2','durationMs':2729883}",
        "{'type':'system','subtype':'stop_hook_summary','uuid':'s3','hookCount':3,'hookErrors':['boom'],"
            + "'preventedContinuation':false,'level':'suggestion'}",
        "{'type':'system','subtype':'api_error','uuid':'s4','level':'error','content':'Overloaded token=abc123'}",
        "{'type':'system','subtype':'local_command','uuid':'s5','level':'info','content':'<command-name>/model</command-name>'}",
        "{'type':'system','uuid':'s6'}");
    Event compaction = sink.only(EventKind.COMPACTION);
    assertEquals("auto", compaction.attr("trigger"));
    assertEquals("167094", compaction.attr("preTokens"));
    assertEquals(2729883L, sink.only(EventKind.TURN).durationMs());
    List<Event> raw = sink.of(EventKind.RAW);
    assertEquals(4, raw.size());
    assertEquals("stop_hook_summary", raw.get(0).attr("subtype"));
    assertEquals("3", raw.get(0).attr("hookCount"));
    assertEquals("1", raw.get(0).attr("hookErrors"));
    assertEquals("false", raw.get(0).attr("preventedContinuation"));
    assertEquals("api_error", raw.get(1).attr("subtype"));
    assertEquals("error", raw.get(1).attr("level"));
    assertEquals("Overloaded token=[REDACTED]", raw.get(1).attr("content"));
    assertEquals("/model", raw.get(2).attr("command"));
    assertNull(raw.get(3).attr("subtype"));
  }

  @Test
  void agentProgressCopiesCarryTheSubagentsUsage() throws BadLineException {
    parse("{" + ENVELOPE + ",'type':'progress','uuid':'outer','parentToolUseID':'toolu_1','data':{'type':'agent_progress',"
            + "'agentId':'afb92ff','message':{'type':'assistant','timestamp':'2026-02-10T21:58:17.856Z',"
            + "'requestId':'req_9','uuid':'inner-1','message':{'model':'claude-haiku-4-5-20251001','id':'msg_9',"
            + "'content':[{'type':'tool_use','id':'toolu_x','name':'Read','input':{}}],"
            + "'usage':{'input_tokens':2,'output_tokens':3,'cache_creation_input_tokens':2398}}}}}",
        "{'type':'progress','uuid':'o2','data':{'type':'agent_progress','message':{'type':'user',"
            + "'message':{'content':[{'type':'tool_result','tool_use_id':'toolu_x','content':'x'}]}}}}",
        "{'type':'progress','uuid':'o3','data':{'type':'hook_progress','hookEvent':'PreToolUse'}}",
        "{'type':'progress','uuid':'o4','data':{'type':'bash_progress'}}",
        "{'type':'progress','uuid':'o5','data':'odd'}",
        "{'type':'progress','uuid':'o6'}");
    Event e = sink.only(EventKind.API_USAGE);
    assertEquals("progress", e.attr("origin"));
    assertEquals("afb92ff", e.agentId());
    assertEquals("true", e.attr("sidechain"));
    assertEquals("inner-1", e.attr("uuid"));
    assertEquals("msg_9", e.attr("msgId"));
    assertEquals("req_9", e.attr("reqId"));
    assertEquals(Instant.parse("2026-02-10T21:58:17.856Z"), e.ts());
    assertEquals("sess-1", e.sessionId());
    assertEquals(new Usage(2, 3, 2398, 0, 0, 0), e.usage());
    assertEquals(1, sink.events.size(), "progress copies yield no tool calls or results");
  }

  @Test
  void aProgressCopyAndTheSubagentsOwnLineAreOneEvent() throws BadLineException {
    parse("{'type':'progress','uuid':'outer','sessionId':'sess-1','data':{'type':'agent_progress','agentId':'a77',"
        + "'message':{'type':'assistant','requestId':'r','uuid':'inner-1','message':{'id':'m','usage':{'output_tokens':3}}}}}");
    parse(SUBAGENT, "{'type':'assistant','uuid':'inner-1','isSidechain':true,'agentId':'a77','sessionId':'sess-1',"
        + "'requestId':'r','message':{'id':'m','usage':{'output_tokens':3}}}");
    List<Event> usage = sink.of(EventKind.API_USAGE);
    assertEquals(2, usage.size());
    assertEquals(usage.get(0).id(), usage.get(1).id());
    assertEquals("progress", usage.get(0).attr("origin"));
    assertEquals("subagent", usage.get(1).attr("origin"));
  }

  @Test
  void subagentFilesKnowTheirAgentAndSession() throws BadLineException {
    parse(SUBAGENT, "{'type':'assistant','uuid':'x','message':{'id':'m','usage':{'output_tokens':1}}}");
    Event e = sink.only(EventKind.API_USAGE);
    assertEquals("a77", e.agentId());
    assertEquals("sess-1", e.sessionId());
    assertEquals("subagent", e.attr("origin"));
    assertEquals("true", e.attr("sidechain"));
  }

  @Test
  void inlineSidechainsOfOldVersionsCountAsSubagentUsage() throws BadLineException {
    parse("{'type':'assistant','uuid':'x','isSidechain':true,'message':{'id':'m','usage':{'output_tokens':1}}}");
    assertEquals("subagent", sink.only(EventKind.API_USAGE).attr("origin"));
  }

  @Test
  void sessionFallbacks() {
    assertEquals("sess-1", TranscriptLine.sessionFromPath(new SourceFile(MAIN, SourceKind.CLAUDE_TRANSCRIPT, ROOT)));
    assertEquals("sess-1", TranscriptLine.sessionFromPath(new SourceFile(SUBAGENT, SourceKind.CLAUDE_TRANSCRIPT, ROOT)));
    assertNull(TranscriptLine.sessionFromPath(
        new SourceFile(ROOT.resolve("agent-legacy.jsonl"), SourceKind.CLAUDE_TRANSCRIPT, ROOT)));
  }

  @Test
  void bookkeeping() throws BadLineException {
    parse("{'type':'summary','summary':'Phoenix server startup fix','leafUuid':'leaf-1'}",
        "{'type':'cost-state','sessionId':'sess-1','totalCostUSD':0.0319246,'totalDuration':50401,"
            + "'totalLinesAdded':3,'hasUnknownModelCost':false,'modelUsage':{'m':{'costUSD':0.03}}}",
        "{'type':'custom-title','customTitle':'my title','sessionId':'sess-1'}",
        "{'type':'last-prompt','lastPrompt':'use password=hunter2','leafUuid':'l','sessionId':'sess-1'}",
        "{'type':'permission-mode','sessionId':'sess-1','permissionMode':'plan'}",
        "{'type':'pr-link','sessionId':'sess-1','url':'https://github.com/o/r/pull/1'}",
        "{'type':'agent-name','sessionId':'sess-1'}");
    List<Event> states = sink.of(EventKind.SESSION_STATE);
    assertEquals(7, states.size());
    assertEquals("title", states.get(0).attr("state"));
    assertEquals("Phoenix server startup fix", states.get(0).attr("title"));
    assertEquals("sess-1", states.get(0).sessionId(), "a summary line names no session: the file does");
    assertEquals("cost", states.get(1).attr("state"));
    assertEquals("0.0319246", states.get(1).attr("totalCostUSD"));
    assertEquals("50401", states.get(1).attr("totalDuration"));
    assertEquals("false", states.get(1).attr("hasUnknownModelCost"));
    assertEquals("my title", states.get(2).attr("value"));
    assertEquals("last-prompt", states.get(3).attr("state"));
    assertEquals("use password=[REDACTED]", states.get(3).attr("value"));
    assertEquals("plan", states.get(4).attr("value"));
    assertEquals("https://github.com/o/r/pull/1", states.get(5).attr("value"));
    assertNull(states.get(6).attr("value"));
    assertTrue(sink.projects.isEmpty());
  }

  @Test
  void onlyAbsoluteWorkingDirectoriesAreReported() throws BadLineException {
    parse("{'type':'user','uuid':'a','cwd':'relative/dir','message':{'content':'hi'}}",
        "{'type':'user','uuid':'b','cwd':'C:\\\\Users\\\\x','message':{'content':'hi'}}",
        "{'type':'user','uuid':'c','cwd':'','message':{'content':'hi'}}",
        "{'type':'user','uuid':'d','cwd':'/srv/app','message':{'content':'hi'}}",
        "{'type':'user','uuid':'e','cwd':'/srv/app','message':{'content':'again'}}");
    assertEquals(List.of(Path.of("/srv/app"), Path.of("/srv/app")), sink.projectReports);
    assertEquals("relative/dir", sink.events.get(0).project());
  }

  @Test
  void badTimestampsFallBackToTheIngestionTime() throws BadLineException {
    parse("{'type':'user','uuid':'a','timestamp':'soon','message':{'content':'hi'}}",
        "{'type':'user','uuid':'b','timestamp':12,'message':{'content':'hi'}}");
    assertEquals(Fixtures.INGESTED, sink.events.get(0).ts());
    assertFalse(sink.events.get(1).ts().equals(Fixtures.INGESTED));
  }
}
