package dev.loopwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one Claude Code session: the main transcript plus its subagent and compaction files, shaped
 * like the real 2.0.x/2.1.x samples in shared/samples/transcripts (see claude-code-formats.md §1).
 *
 * <p>A session is a sequence of turns (prompt → API responses → tool results) until its byte budget
 * is spent. What makes it realistic for an ingester, in order of cost: big tool outputs stored twice
 * (tool_result content and toolUseResult), one line per content block with the same message.id and
 * requestId, subagent lines copied into the parent as agent_progress, and many small progress lines.
 */
final class SessionWriter {

  static final String OPUS = "claude-opus-4-6";
  static final String SONNET = "claude-sonnet-4-5-20250929";
  static final String HAIKU = "claude-haiku-4-5-20251001";

  private static final String[] LEGACY_VERSIONS = {"2.0.55", "2.0.76"};
  private static final String[] VERSIONS = {"2.1.29", "2.1.38", "2.1.39", "2.1.42"};
  private static final String[] BRANCHES = {"main", "main", "master", "feature/ingest", "fix/tailer", "HEAD", ""};
  private static final String[] SLUG_WORDS = {
    "dazzling", "radiant", "floating", "quiet", "imagining", "music", "barto", "river", "copper", "lucid"
  };
  private static final String[] DIRS = {"src/main/java", "src/test/java", "lib", "docs", "config", "scripts"};
  private static final String[] FILES = {"Parser", "Tailer", "Journal", "Config", "Server", "Index", "Util"};
  private static final String[] COMMANDS = {
    "mvn -q -B test", "git status", "git diff --stat", "ls -la", "rg -n 'offset' src",
    "npm test 2>&1 | head -200", "cat build.log | tail -300", "./gradlew check"
  };
  /** Tool mix for the main conversation; subagents use the same list without Task and TodoWrite. */
  private static final String[] MAIN_TOOLS = weighted(
      "Read", 28, "Bash", 28, "Edit", 12, "Grep", 8, "Glob", 5, "Write", 5, "TodoWrite", 4, "WebFetch", 2, "Task", 5);
  private static final String[] SUB_TOOLS = weighted("Read", 40, "Bash", 20, "Grep", 20, "Glob", 10, "WebFetch", 3);
  private static final String REJECTED =
      "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, "
          + "the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you "
          + "how to proceed.";

  private final CorpusGenerator.Corpus corpus;
  private final Synth s;
  private final JsonNodeFactory f = JsonNodeFactory.instance;
  private final Path projectDir;
  private final String cwd;
  private final String sessionId;
  private final String version;
  private final String gitBranch;
  /** Claude Code before 2.1.2 put subagent files next to the session file and wrote no agent_progress copies. */
  private final boolean legacyLayout;
  private final String slug;
  private final boolean hooks;
  private final boolean oneHourCache;
  private final long budget;
  /** The corpus's lean savings when this session began (see {@link #written}). */
  private final long leanSavedAtStart;
  private final List<String> editedFiles = new ArrayList<>();

  /** Characters of the one 2–5 MB tool output this session still has to write, or 0. */
  private long giantChars;
  private long clock;
  private long closedSubBytes;
  private JsonlFile openSub;
  private Conversation main;

  /** One transcript being written: the main session, a subagent, or a compaction helper. */
  private static final class Conversation {
    final JsonlFile file;
    final String agentId; // null for the main conversation
    final String model;
    String lastUuid;
    long context; // tokens in the prompt cache: the next call's cache_read_input_tokens
    long pending; // tokens added since the last call: the next call's cache creation
    int calls;
    // Set for 2.1.x subagents: each user/assistant line is copied into the parent as agent_progress.
    Conversation parent;
    String parentToolUseId;
    String progressToolUseId;
    String prompt;

    Conversation(JsonlFile file, String agentId, String model) {
      this.file = file;
      this.agentId = agentId;
      this.model = model;
    }
  }

  SessionWriter(CorpusGenerator.Corpus corpus, CorpusGenerator.Project project, long budget, long giantChars) {
    this.corpus = corpus;
    this.s = corpus.synth;
    this.projectDir = project.dir();
    this.cwd = project.cwd();
    this.budget = budget;
    this.leanSavedAtStart = s.leanSaved();
    this.giantChars = giantChars;
    this.sessionId = s.uuid();
    this.legacyLayout = s.chance(0.15);
    this.version = legacyLayout ? s.pick(LEGACY_VERSIONS) : s.pick(VERSIONS);
    this.slug = legacyLayout ? null : s.pick(SLUG_WORDS) + '-' + s.pick(SLUG_WORDS) + '-' + s.pick(SLUG_WORDS);
    this.gitBranch = s.pick(BRANCHES);
    this.hooks = s.chance(0.5);
    this.oneHourCache = s.chance(0.3);
    // Sessions spread over two months; a fixed origin keeps the corpus independent of the clock.
    this.clock = 1_767_571_200_000L /* 2026-01-05T00:00Z */ + s.between(0L, 60L * 86_400_000L);
  }

  void write() {
    String model = s.chance(0.55) ? OPUS : s.chance(0.75) ? SONNET : HAIKU;
    main = new Conversation(new JsonlFile(corpus.mapper, projectDir.resolve(sessionId + ".jsonl")), null, model);
    main.context = s.between(0, 12_000);
    main.pending = s.between(8_000, 20_000); // system prompt and tools, written to the cache by the first call
    do {
      turn();
    } while (written() < budget);
    corpus.fileDone(main.file, true);
  }

  /**
   * Bytes of this session so far, counting what a lean corpus left out of tool outputs as written (twice:
   * most outputs are stored in the result and in toolUseResult), so that a lean session has as many turns
   * and requests as a normal one.
   */
  private long written() {
    return main.file.bytes() + closedSubBytes + (openSub == null ? 0 : openSub.bytes())
        + CorpusGenerator.NOMINAL_COPIES * (s.leanSaved() - leanSavedAtStart);
  }

  // ---- turns and API responses

  private void turn() {
    String promptUuid = s.uuid();
    fileHistorySnapshot(promptUuid);
    String prompt = s.prose(s.between(20, 700));
    ObjectNode line = envelope(main, "user");
    line.set("message", f.objectNode().put("role", "user").put("content", prompt));
    line.set("thinkingMetadata", f.objectNode().put("maxThinkingTokens", 31999));
    line.set("todos", f.arrayNode());
    line.put("permissionMode", s.pick("default", "acceptEdits", "bypassPermissions"));
    emit(main, line, promptUuid);
    corpus.history(clock, prompt, cwd, sessionId);
    if (hooks) {
      hookProgress(main, "UserPromptSubmit", promptUuid);
    }
    if (s.chance(0.05)) {
      queueOperation();
    }
    long turnStart = clock;
    int calls = 1 + (int) s.logUniform(1, 12);
    for (int i = 0; i < calls; i++) {
      boolean last = i == calls - 1 || written() >= budget;
      if (!response(main, last) || last) {
        break;
      }
    }
    if (hooks && s.chance(0.6)) {
      stopHookSummary();
    }
    ObjectNode duration = envelope(main, "system");
    duration.put("subtype", "turn_duration").put("durationMs", clock - turnStart).put("isMeta", false);
    emit(main, duration, s.uuid());
    if (main.context > 155_000) {
      compact();
    }
    clock += s.between(10_000, 600_000); // the user reads and types
  }

  /**
   * One API response, written as one line per content block (thinking, text, tool_use…) that share
   * message.id and requestId; output_tokens grows and only the last line has the final count
   * (claude-code-formats.md §1.9). Then its tool results. Returns false when the user rejected the tool use.
   */
  private boolean response(Conversation c, boolean finalAnswer) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (s.chance(0.35)) {
      blocks.add(f.objectNode().put("type", "thinking").put("thinking", s.prose(s.between(40, 1500)))
          .put("signature", "Eu" + s.hex(s.between(150, 400))));
    }
    if (finalAnswer) {
      blocks.add(textBlock(s.prose(s.between(100, 2500))));
    } else {
      if (s.chance(0.4)) {
        blocks.add(textBlock(s.prose(s.between(20, 300))));
      }
      int tools = s.chance(0.25) ? s.between(2, 3) : 1;
      for (int i = 0; i < tools; i++) {
        blocks.add(toolUse(c == main ? s.pick(MAIN_TOOLS) : s.pick(SUB_TOOLS)));
      }
    }

    long input = s.between(1, 12);
    long cacheCreate = Math.min(c.pending + s.between(20, 600), 80_000);
    long cacheRead = c.context;
    long output = finalAnswer ? s.between(60, 2500) : s.between(20, 700);
    corpus.response(input, output, cacheCreate, cacheRead);
    String messageId = s.messageId();
    String requestId = s.requestId();
    long placeholder = s.between(1, 12);
    String lastAssistantUuid = null;
    for (int i = 0; i < blocks.size(); i++) {
      long outputSoFar = i == blocks.size() - 1 ? output : Math.min(output, placeholder + i);
      ObjectNode message = f.objectNode().put("model", c.model).put("id", messageId).put("type", "message")
          .put("role", "assistant");
      message.putArray("content").add(blocks.get(i));
      message.putNull("stop_reason").putNull("stop_sequence");
      message.set("usage", usage(input, outputSoFar, cacheCreate, cacheRead));
      ObjectNode line = envelope(c, "assistant");
      line.set("message", message);
      line.put("requestId", requestId);
      lastAssistantUuid = emit(c, line, s.uuid());
      clock += s.between(50, 2_500);
    }
    c.context += cacheCreate + input;
    c.pending = output;
    c.calls++;

    boolean rejected = c == main && !finalAnswer && s.chance(0.012);
    for (ObjectNode block : blocks) {
      if ("tool_use".equals(block.path("type").asText())) {
        if (rejected) {
          toolResult(c, block, lastAssistantUuid, f.textNode(REJECTED), true, f.textNode("User rejected tool use"));
        } else {
          runTool(c, block, lastAssistantUuid, messageId);
        }
      }
    }
    if (rejected) {
      ObjectNode line = envelope(c, "user");
      line.set("message", f.objectNode().put("role", "user").set("content",
          f.arrayNode().add(textBlock("[Request interrupted by user for tool use]"))));
      emit(c, line, s.uuid());
    }
    return !rejected;
  }

  private ObjectNode usage(long input, long output, long cacheCreate, long cacheRead) {
    ObjectNode u = f.objectNode().put("input_tokens", input).put("cache_creation_input_tokens", cacheCreate)
        .put("cache_read_input_tokens", cacheRead);
    u.putObject("cache_creation").put("ephemeral_5m_input_tokens", oneHourCache ? 0 : cacheCreate)
        .put("ephemeral_1h_input_tokens", oneHourCache ? cacheCreate : 0);
    return u.put("output_tokens", output).put("service_tier", "standard").put("inference_geo", "global");
  }

  // ---- tools

  private ObjectNode toolUse(String name) {
    ObjectNode input = f.objectNode();
    switch (name) {
      case "Bash" -> input.put("command", s.pick(COMMANDS)).put("description", s.prose(30));
      case "Read" -> input.put("file_path", filePath());
      case "Edit" -> input.put("file_path", filePath()).put("old_string", s.output(s.between(20, 400)))
          .put("new_string", s.output(s.between(20, 600))).put("replace_all", false);
      case "Write" -> input.put("file_path", filePath()).put("content", s.output(s.between(200, 6000)));
      case "Grep" -> input.put("pattern", "offset|position").put("path", cwd).put("output_mode", "content");
      case "Glob" -> input.put("pattern", "**/*.java");
      case "TodoWrite" -> input.set("todos", todos());
      case "WebFetch" -> input.put("url", "https://example.org/docs/" + s.hex(8)).put("prompt", s.prose(80));
      case "Task" -> input.put("subagent_type", s.pick("Explore", "Plan", "general-purpose"))
          .put("description", s.prose(40)).put("prompt", s.prose(s.between(200, 2000)))
          .put("model", s.pick("sonnet", "haiku"));
      default -> throw new IllegalStateException(name);
    }
    ObjectNode block = f.objectNode().put("type", "tool_use").put("id", s.toolUseId()).put("name", name);
    block.set("input", input);
    block.set("caller", f.objectNode().put("type", "direct"));
    return block;
  }

  /** Runs a tool: its result line (and the progress lines Claude Code writes around it). */
  private void runTool(Conversation c, ObjectNode toolUse, String assistantUuid, String messageId) {
    String name = toolUse.get("name").asText();
    String id = toolUse.get("id").asText();
    JsonNode input = toolUse.get("input");
    if (hooks) {
      hookProgress(c, "PreToolUse:" + name, id);
    }
    clock += s.between(100, 20_000);
    boolean error = s.chance(0.05);
    if (name.equals("Task")) {
      runSubagent(c, toolUse, assistantUuid, messageId);
    } else if (error) {
      String message = switch (name) {
        case "Bash" -> "Exit code 1\n" + s.output(s.between(50, 3000));
        case "Edit" -> "<tool_use_error>String to replace not found in file.\nString: "
            + input.path("old_string").asText() + "</tool_use_error>";
        case "Read" -> "<tool_use_error>File does not exist.</tool_use_error>";
        default -> "<tool_use_error>" + s.prose(60) + "</tool_use_error>";
      };
      toolResult(c, toolUse, assistantUuid, f.textNode(message), true, f.textNode("Error: " + message));
    } else {
      toolSuccess(c, toolUse, assistantUuid, name, input);
    }
    if (hooks) {
      hookProgress(c, "PostToolUse:" + name, id);
    }
  }

  private void toolSuccess(Conversation c, ObjectNode toolUse, String assistantUuid, String name, JsonNode input) {
    long leanSavedBefore = s.leanSaved();
    String path = input.path("file_path").asText(cwd);
    ObjectNode result = f.objectNode();
    String content;
    switch (name) {
      case "Bash" -> {
        String out = s.output(outputSize());
        if (s.chance(0.2)) {
          bashProgress(c, toolUse.get("id").asText());
        }
        content = out;
        result.put("stdout", out).put("stderr", "").put("interrupted", false).put("isImage", false)
            .put("noOutputExpected", false);
      }
      case "Read" -> {
        String text = s.output(outputSize());
        int lines = (int) text.chars().filter(ch -> ch == '\n').count() + 1;
        content = numbered(text);
        result.put("type", "text").putObject("file").put("filePath", path).put("content", text)
            .put("numLines", lines).put("startLine", 1).put("totalLines", lines);
      }
      case "Grep", "WebFetch" -> {
        content = s.output(outputSize());
        if (name.equals("Grep")) {
          result.put("mode", "content").put("numFiles", s.between(1, 40)).put("content", content)
              .put("numLines", s.between(1, 500)).set("filenames", f.arrayNode().add(filePath()).add(filePath()));
        } else {
          result.put("url", input.path("url").asText()).put("bytes", content.length()).put("code", 200)
              .put("codeText", "OK").put("result", content).put("durationMs", s.between(200, 9000));
        }
      }
      case "Edit" -> {
        editedFiles.add(path);
        String original = s.output((int) s.logUniform(500, 60_000));
        content = "The file " + path + " has been updated. Here's the result of running `cat -n` on a snippet"
            + " of the edited file:\n" + numbered(s.output(s.between(200, 2000)));
        result.put("filePath", path).put("oldString", input.path("old_string").asText())
            .put("newString", input.path("new_string").asText()).put("originalFile", original)
            .put("replaceAll", false).put("userModified", false);
        result.putArray("structuredPatch").addObject().put("oldStart", 10).put("oldLines", 3).put("newStart", 10)
            .put("newLines", 4).putArray("lines").add("-" + s.prose(40)).add("+" + s.prose(40));
      }
      case "Write" -> {
        editedFiles.add(path);
        content = "File created successfully at: " + path;
        result.put("type", "create").put("filePath", path).put("content", input.path("content").asText())
            .set("structuredPatch", f.arrayNode());
      }
      case "Glob" -> {
        List<String> names = new ArrayList<>();
        for (int i = s.between(1, 60); i > 0; i--) {
          names.add(filePath());
        }
        content = String.join("\n", names);
        names.forEach(result.putArray("filenames")::add);
        result.put("numFiles", names.size()).put("truncated", false).put("durationMs", s.between(2, 300));
      }
      case "TodoWrite" -> {
        content = "Todos have been modified successfully. Ensure that you continue to use the todo list to track "
            + "your progress. Please proceed with the current tasks if applicable";
        result.set("oldTodos", f.arrayNode());
        result.set("newTodos", input.get("todos"));
      }
      default -> throw new IllegalStateException(name);
    }
    // tokens of the output as the model saw it: a lean corpus cut the text, not the conversation
    c.pending += Math.min((content.length() + s.leanSaved() - leanSavedBefore) / 4, 25_000);
    toolResult(c, toolUse, assistantUuid, f.textNode(content), false, result);
  }

  private void toolResult(Conversation c, ObjectNode toolUse, String assistantUuid, JsonNode content,
      boolean isError, JsonNode toolUseResult) {
    ObjectNode block = f.objectNode().put("tool_use_id", toolUse.get("id").asText()).put("type", "tool_result");
    block.set("content", content);
    block.put("is_error", isError);
    ObjectNode line = envelope(c, "user");
    line.set("message", f.objectNode().put("role", "user").set("content", f.arrayNode().add(block)));
    line.set("toolUseResult", toolUseResult);
    line.put("sourceToolAssistantUUID", assistantUuid);
    emit(c, line, s.uuid());
  }

  /**
   * Tool output length in characters: mostly small, 3 % of 10–300 KB, and once per chosen session one
   * of 2–5 MB (planned by the corpus so that "a few" exist, each stored twice on its line).
   */
  private int outputSize() {
    // The corpus added 2.5 × giantChars to this session's budget for it: write it once a quarter of the
    // rest is written, unless the budget was cut short at the end of the corpus.
    long baseBudget = budget - (long) (2.5 * giantChars);
    if (giantChars > 0 && written() > baseBudget / 4 && written() + 2.3 * giantChars < budget) {
      int chars = (int) giantChars;
      giantChars = 0;
      corpus.giantWritten();
      return chars;
    }
    if (s.chance(0.03)) {
      return (int) s.logUniform(10_000, 300_000);
    }
    return (int) (s.chance(0.25) ? s.logUniform(1_500, 10_000) : s.logUniform(50, 1_500));
  }

  // ---- subagents and compaction

  /**
   * A Task tool call: the subagent's own transcript (a sidechain file), its user/assistant lines copied
   * into the parent as agent_progress (2.1.x), then the Task result in the parent.
   */
  private void runSubagent(Conversation parent, ObjectNode toolUse, String assistantUuid, String messageId) {
    JsonNode input = toolUse.get("input");
    String agentId = corpus.newAgentId();
    Path file = legacyLayout
        ? projectDir.resolve("agent-" + agentId + ".jsonl")
        : projectDir.resolve(sessionId).resolve("subagents").resolve("agent-" + agentId + ".jsonl");
    String model = input.path("model").asText().equals("haiku") ? HAIKU : SONNET;
    Conversation sub = new Conversation(new JsonlFile(corpus.mapper, file), agentId, model);
    openSub = sub.file;
    sub.pending = s.between(5_000, 15_000);
    if (!legacyLayout) {
      sub.parent = parent;
      sub.parentToolUseId = toolUse.get("id").asText();
      sub.progressToolUseId = "agent_" + messageId;
      sub.prompt = input.path("prompt").asText();
    }
    ObjectNode first = envelope(sub, "user");
    first.set("message", f.objectNode().put("role", "user").put("content", input.path("prompt").asText()));
    emit(sub, first, s.uuid());
    int calls = (int) s.logUniform(2, 20);
    for (int i = 0; i < calls; i++) {
      boolean last = i == calls - 1 || written() >= budget;
      response(sub, last);
      if (last) {
        break;
      }
    }
    sub.file.close();
    closedSubBytes += sub.file.bytes();
    openSub = null;
    corpus.fileDone(sub.file, false);

    String report = s.prose(s.between(400, 5000));
    long totalTokens = sub.context + sub.pending;
    ArrayNode content = f.arrayNode().add(textBlock(report)).add(textBlock("agentId: " + agentId
        + " (for resuming to continue this agent's work if needed)\n<usage>total_tokens: " + totalTokens
        + "\ntool_uses: " + sub.calls + "\nduration_ms: " + s.between(5_000, 300_000) + "</usage>"));
    ObjectNode result = f.objectNode().put("status", "completed").put("prompt", input.path("prompt").asText())
        .put("agentId", agentId);
    result.set("content", f.arrayNode().add(textBlock(report)));
    result.put("totalDurationMs", s.between(5_000, 300_000)).put("totalTokens", totalTokens)
        .put("totalToolUseCount", sub.calls);
    result.set("usage", usage(0, sub.pending, s.between(100, 5000), sub.context));
    parent.pending += report.length() / 4;
    toolResult(parent, toolUse, assistantUuid, content, false, result);
  }

  /** Auto-compaction: the helper's own transcript (2.1.x), then compact_boundary and the summary prompt. */
  private void compact() {
    long preTokens = main.context;
    if (!legacyLayout) {
      String agentId = "acompact-" + s.hex(6);
      Path file = projectDir.resolve(sessionId).resolve("subagents").resolve("agent-" + agentId + ".jsonl");
      Conversation helper = new Conversation(new JsonlFile(corpus.mapper, file), agentId, main.model);
      openSub = helper.file;
      helper.lastUuid = main.lastUuid;
      helper.context = preTokens;
      helper.pending = s.between(2_000, 10_000);
      for (int i = s.between(1, 4); i > 0; i--) {
        ObjectNode meta = envelope(helper, "user");
        meta.set("message", f.objectNode().put("role", "user")
            .put("content", "<system-reminder>\n" + s.output(s.between(200, 4000)) + "\n</system-reminder>"));
        meta.put("isMeta", true);
        emit(helper, meta, s.uuid());
      }
      response(helper, true);
      helper.file.close();
      closedSubBytes += helper.file.bytes();
      openSub = null;
      corpus.fileDone(helper.file, false);
    }
    ObjectNode boundary = envelope(main, "system");
    boundary.putNull("parentUuid");
    boundary.put("logicalParentUuid", main.lastUuid);
    boundary.put("subtype", "compact_boundary").put("content", "Conversation compacted").put("isMeta", false)
        .put("level", "info");
    boundary.putObject("compactMetadata").put("trigger", "auto").put("preTokens", preTokens);
    emit(main, boundary, s.uuid());
    ObjectNode summary = envelope(main, "user");
    summary.set("message", f.objectNode().put("role", "user").put("content",
        "This session is being continued from a previous conversation that ran out of context. The summary below"
            + " covers the earlier portion of the conversation.\n\n" + s.prose(s.between(3_000, 12_000))));
    summary.put("isVisibleInTranscriptOnly", true).put("isCompactSummary", true);
    emit(main, summary, s.uuid());
    main.context = s.between(15_000, 35_000);
  }

  // ---- small lines: progress, system, snapshots

  /** Hook progress lines, one per configured hook command: the most numerous lines of real transcripts. */
  private void hookProgress(Conversation c, String hookName, String toolUseId) {
    for (int i = s.between(1, 3); i > 0; i--) {
      ObjectNode line = envelope(c, "progress");
      line.putObject("data").put("type", "hook_progress").put("hookEvent", hookName.split(":")[0])
          .put("hookName", hookName).put("command", "$HOME/.claude/hooks/hook-" + i + ".sh " + hookName.toLowerCase());
      line.put("parentToolUseID", toolUseId).put("toolUseID", toolUseId);
      emit(c, line, s.uuid());
    }
  }

  private void bashProgress(Conversation c, String toolUseId) {
    for (int i = s.between(1, 4), n = 0; n < i; n++) {
      ObjectNode line = envelope(c, "progress");
      line.putObject("data").put("type", "bash_progress").put("output", s.output(s.between(20, 400)))
          .put("fullOutput", s.output(s.between(200, 2_000)))
          .put("elapsedTimeSeconds", n + 2).put("totalLines", s.between(5, 400)).put("timeoutMs", 120_000);
      line.put("toolUseID", "bash-progress-" + n).put("parentToolUseID", toolUseId);
      emit(c, line, s.uuid());
      clock += 1_000;
    }
  }

  private void stopHookSummary() {
    ObjectNode line = envelope(main, "system");
    line.put("subtype", "stop_hook_summary").put("hookCount", 2);
    line.putArray("hookInfos").add(f.objectNode().put("command", "$HOME/.claude/hooks/notify.sh stop"));
    line.putArray("hookErrors");
    line.put("preventedContinuation", false).put("stopReason", "").put("hasOutput", true)
        .put("level", "suggestion").put("toolUseID", s.uuid());
    emit(main, line, s.uuid());
  }

  private void fileHistorySnapshot(String promptUuid) {
    ObjectNode snapshot = f.objectNode().put("messageId", promptUuid);
    ObjectNode backups = snapshot.putObject("trackedFileBackups");
    for (int i = Math.max(0, editedFiles.size() - 5); i < editedFiles.size(); i++) {
      backups.putObject(editedFiles.get(i)).put("backupFileName", s.hex(16) + "@v2").put("version", 2)
          .put("backupTime", Synth.timestamp(clock));
    }
    snapshot.put("timestamp", Synth.timestamp(clock));
    ObjectNode line = f.objectNode().put("type", "file-history-snapshot").put("messageId", promptUuid);
    line.set("snapshot", snapshot);
    line.put("isSnapshotUpdate", false);
    main.file.write(line);
  }

  private void queueOperation() {
    main.file.write(f.objectNode().put("type", "queue-operation").put("operation", "enqueue")
        .put("timestamp", Synth.timestamp(clock)).put("sessionId", sessionId).put("content", s.prose(60)));
  }

  // ---- envelope and writing

  /** The fields every chain line starts with (claude-code-formats.md §1.3). */
  private ObjectNode envelope(Conversation c, String type) {
    ObjectNode n = f.objectNode();
    if (c.lastUuid == null) {
      n.putNull("parentUuid");
    } else {
      n.put("parentUuid", c.lastUuid);
    }
    n.put("isSidechain", c.agentId != null).put("userType", "external").put("cwd", cwd).put("sessionId", sessionId)
        .put("version", version).put("gitBranch", gitBranch);
    if (c.agentId != null) {
      n.put("agentId", c.agentId);
    }
    if (slug != null) {
      n.put("slug", slug);
    }
    return n.put("type", type);
  }

  /** Writes a chain line and, for a 2.1.x subagent, its agent_progress copy in the parent. */
  private String emit(Conversation c, ObjectNode line, String uuid) {
    String timestamp = Synth.timestamp(clock);
    line.put("uuid", uuid).put("timestamp", timestamp);
    c.file.write(line);
    c.lastUuid = uuid;
    String type = line.get("type").asText();
    if (c.parent != null && (type.equals("user") || type.equals("assistant"))) {
      ObjectNode copy = f.objectNode().put("type", type).put("timestamp", timestamp);
      copy.set("message", line.get("message"));
      if (line.has("requestId")) {
        copy.set("requestId", line.get("requestId"));
      }
      copy.put("uuid", uuid);
      ObjectNode progress = envelope(c.parent, "progress");
      ObjectNode data = progress.putObject("data");
      data.set("message", copy);
      data.putArray("normalizedMessages");
      data.put("type", "agent_progress").put("prompt", c.prompt).put("agentId", c.agentId);
      progress.put("toolUseID", c.progressToolUseId).put("parentToolUseID", c.parentToolUseId);
      emit(c.parent, progress, s.uuid());
    }
    clock += s.between(5, 400);
    return uuid;
  }

  // ---- helpers

  private ObjectNode textBlock(String text) {
    return f.objectNode().put("type", "text").put("text", text);
  }

  private String filePath() {
    return cwd + '/' + s.pick(DIRS) + '/' + s.pick(FILES) + s.between(1, 40) + s.pick(".java", ".md", ".yaml", ".ts");
  }

  private ArrayNode todos() {
    ArrayNode todos = f.arrayNode();
    for (int i = s.between(2, 6); i > 0; i--) {
      String task = s.prose(s.between(20, 80));
      todos.addObject().put("content", task).put("status", s.pick("pending", "in_progress", "completed"))
          .put("activeForm", task);
    }
    return todos;
  }

  /** Read's tool_result shows the file as `cat -n` does, with Claude Code's arrow after the number. */
  private static String numbered(String text) {
    StringBuilder sb = new StringBuilder(text.length() + text.length() / 5 + 16);
    int n = 1;
    for (int start = 0; start < text.length(); n++) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String num = Integer.toString(n);
      sb.append("      ", 0, Math.max(0, 6 - num.length())).append(num).append('→').append(text, start, end);
      start = end;
    }
    return sb.toString();
  }

  private static String[] weighted(Object... nameWeightPairs) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nameWeightPairs.length; i += 2) {
      for (int w = (Integer) nameWeightPairs[i + 1]; w > 0; w--) {
        out.add((String) nameWeightPairs[i]);
      }
    }
    return out.toArray(String[]::new);
  }
}
