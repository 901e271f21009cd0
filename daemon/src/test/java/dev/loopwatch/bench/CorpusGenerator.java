package dev.loopwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a synthetic Claude home for the ingest benchmark (daemon/bench/ingest-benchmark.sh):
 * {@code DIR/.claude/projects/<encoded-cwd>/<sessionId>.jsonl}, subagent files in both layouts, and
 * {@code DIR/.claude/history.jsonl}. See {@link SessionWriter} for what one session contains.
 *
 * <pre>java -cp … dev.loopwatch.bench.CorpusGenerator --out DIR [--size-mb 120] [--seed 42] [--lean]</pre>
 *
 * <p>The same seed gives the same bytes. Sessions are added until the transcripts under projects/
 * reach --size-mb (MiB). DIR/corpus.properties then records what was written, including the token
 * totals over unique (message.id, requestId) that a correct usage reader must report; it lies outside
 * .claude so that neither ccusage nor the daemon reads it.
 *
 * <p>{@code --lean} writes the same kind of history with tool outputs cut to
 * {@value Synth#LEAN_OUTPUT_CHARS} characters and no multi-megabyte outputs: --size-mb then counts the
 * bytes the sessions would have had in full (what was cut counts twice, as most outputs are stored
 * twice), so a lean corpus of N MiB has about as many sessions, turns and API requests as a normal one
 * of N MiB, in a fraction of the bytes. The store benchmark uses it for "10× the history".
 */
public final class CorpusGenerator {

  /** How many times a lean corpus counts the tool-output characters it left out (see {@code --lean}). */
  static final int NOMINAL_COPIES = 2;

  private static final int PROJECTS = 20;
  private static final String[] PROJECT_NAMES = {
    "loopwatch", "spotter", "ai-music", "billing-api", "infra", "website", "mobile-app", "data-pipeline",
    "docs", "cli-tools", "ml-experiments", "payments", "auth-service", "dotfiles", "game-engine",
    "search", "chat-bot", "analytics", "scheduler", "tenant-library"
  };

  /** A project folder under projects/: the cwd its lines carry and the folder name Claude Code derives from it. */
  record Project(String cwd, Path dir) {}

  /** What all sessions share: the writer, the randomness, and the running totals. */
  static final class Corpus {
    final ObjectMapper mapper = new ObjectMapper();
    final Synth synth;
    final boolean lean;
    long files;
    long lines;
    long bytes;
    long sessions;
    long subagentFiles;
    long responses;
    long inputTokens;
    long outputTokens;
    long cacheCreationTokens;
    long cacheReadTokens;
    int giantsLeft;
    private final Set<String> agentIds = new HashSet<>();
    private final List<ObjectNode> history = new ArrayList<>();

    Corpus(long seed, boolean lean) {
      // 1 M chars of text to slice tool outputs from: big enough that slices rarely repeat.
      this.synth = new Synth(seed, 1 << 20, lean);
      this.lean = lean;
    }

    /** The bytes written, plus, in a lean corpus, what was left out (as in {@code --lean}). */
    long nominalBytes() {
      return bytes + NOMINAL_COPIES * synth.leanSaved();
    }

    void fileDone(JsonlFile file, boolean session) {
      file.close();
      files++;
      lines += file.lines();
      bytes += file.bytes();
      if (session) {
        sessions++;
      } else {
        subagentFiles++;
      }
    }

    /** One unique API response, counted once however many lines repeat it. */
    void response(long input, long output, long cacheCreation, long cacheRead) {
      responses++;
      inputTokens += input;
      outputTokens += output;
      cacheCreationTokens += cacheCreation;
      cacheReadTokens += cacheRead;
    }

    void giantWritten() {
      giantsLeft--;
    }

    /** Subagent ids are 7 hex digits in the samples; ours are unique across the corpus. */
    String newAgentId() {
      String id;
      do {
        id = "a" + synth.hex(6);
      } while (!agentIds.add(id));
      return id;
    }

    void history(long epochMillis, String prompt, String cwd, String sessionId) {
      ObjectNode entry = mapper.createObjectNode().put("display", prompt);
      entry.putObject("pastedContents");
      history.add(entry.put("timestamp", epochMillis).put("project", cwd).put("sessionId", sessionId));
    }
  }

  public static void main(String[] args) throws IOException {
    Path out = null;
    int sizeMb = 120;
    long seed = 42;
    boolean lean = false;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--out" -> out = Paths.get(required(args[i], value));
        case "--size-mb" -> sizeMb = (int) Math.min(number(args[i], value), 1 << 20);
        case "--seed" -> seed = number(args[i], value);
        case "--lean" -> {
          lean = true;
          continue; // a flag: no value to skip
        }
        default -> usage("unknown argument: " + args[i]);
      }
      i++;
    }
    if (out == null || sizeMb < 1) {
      usage(out == null ? "--out is required" : "--size-mb must be at least 1");
    }
    Path claude = out.resolve(".claude");
    // Never overwrite: the caller (the benchmark script) deletes a stale corpus it owns.
    if (Files.exists(claude)) {
      usage(claude + " already exists; delete it or choose another --out");
    }

    long started = System.nanoTime();
    Corpus corpus = generate(claude, sizeMb, seed, lean);
    double seconds = (System.nanoTime() - started) / 1e9;
    writeManifest(out.resolve("corpus.properties"), corpus, sizeMb, seed);
    System.out.printf(Locale.ROOT,
        "corpus: %d files, %d lines, %d bytes (%.1f MiB) in %s/projects; %d sessions, %d subagent files,"
            + " %d API responses, %d history lines%s; generated in %.1f s (%.0f MiB/s)%n",
        corpus.files, corpus.lines, corpus.bytes, corpus.bytes / 1048576.0, claude, corpus.sessions,
        corpus.subagentFiles, corpus.responses, corpus.history.size(),
        lean ? String.format(Locale.ROOT, "; lean: %.1f MiB in full", corpus.nominalBytes() / 1048576.0) : "",
        seconds, corpus.bytes / 1048576.0 / seconds);
  }

  static Corpus generate(Path claude, int sizeMb, long seed) throws IOException {
    return generate(claude, sizeMb, seed, false);
  }

  static Corpus generate(Path claude, int sizeMb, long seed, boolean lean) throws IOException {
    Corpus corpus = new Corpus(seed, lean);
    Synth s = corpus.synth;
    List<Project> projects = projects(claude.resolve("projects"), s);
    long target = (long) sizeMb << 20;
    // "A few" 2–5 MB tool outputs: about one per 40 MB, each in its own big session. Sessions are
    // written one at a time, so a giant the last session could not fit simply goes to the next big one.
    // A lean corpus has none.
    corpus.giantsLeft = lean ? 0 : sizeMb / 40;
    for (int i = 0; target - corpus.nominalBytes() > 4096; i++) {
      // Skewed sizes, in fixed proportions so that a few lucky draws cannot swing the session count:
      // of every 20 sessions 14 are small (4–80 KB), 5 medium (80–800 KB) and 1 large (1.5–5 MB).
      int slot = i % 20;
      long budget = slot < 14 ? s.logUniform(4_000, 80_000)
          : slot < 19 ? s.logUniform(80_000, 800_000) : s.logUniform(1_500_000, 5_000_000);
      long giantChars = 0;
      if (budget >= 1_500_000 && corpus.giantsLeft > 0) {
        giantChars = s.between(2L << 20, 5L << 20);
        budget += (long) (2.5 * giantChars); // the output is stored twice on its line, plus Read's line numbers
      }
      budget = Math.min(budget, target - corpus.nominalBytes());
      new SessionWriter(corpus, zipfPick(projects, s), budget, giantChars).write();
    }
    writeHistory(claude.resolve("history.jsonl"), corpus);
    return corpus;
  }

  /** Folder names as Claude Code derives them: every non-alphanumeric character of the cwd becomes '-'. */
  private static List<Project> projects(Path projectsDir, Synth s) {
    List<Project> projects = new ArrayList<>();
    for (int i = 0; i < PROJECTS; i++) {
      String name = PROJECT_NAMES[i];
      String cwd = s.chance(0.25)
          ? "/home/dev/projects/" + name + "-worktrees/" + name + "-" + s.hex(3)
          : "/home/dev/" + s.pick("projects", "work", "src") + "/" + name;
      projects.add(new Project(cwd, projectsDir.resolve(cwd.replaceAll("[^A-Za-z0-9]", "-"))));
    }
    return projects;
  }

  /** A few projects get most sessions, as on a real machine: weight 1/(rank+1). */
  private static Project zipfPick(List<Project> projects, Synth s) {
    double total = 0;
    for (int i = 0; i < projects.size(); i++) {
      total += 1.0 / (i + 1);
    }
    double x = s.between(0, 1_000_000) / 1_000_000.0 * total;
    for (int i = 0; i < projects.size(); i++) {
      x -= 1.0 / (i + 1);
      if (x <= 0) {
        return projects.get(i);
      }
    }
    return projects.get(projects.size() - 1);
  }

  private static void writeHistory(Path path, Corpus corpus) {
    // Claude Code appends prompts as they are typed, so the file is in time order.
    corpus.history.sort(Comparator.comparingLong(e -> e.get("timestamp").asLong()));
    try (JsonlFile file = new JsonlFile(corpus.mapper, path)) {
      corpus.history.forEach(file::write);
    }
  }

  private static void writeManifest(Path path, Corpus c, int sizeMb, long seed) throws IOException {
    String text = String.join("\n",
        "# Written by dev.loopwatch.bench.CorpusGenerator. bytes/lines/files: transcripts under .claude/projects.",
        "# Token totals: each API response counted once (unique message.id + requestId), final output_tokens.",
        "sizeMb=" + sizeMb,
        "seed=" + seed,
        "lean=" + c.lean,
        "nominalBytes=" + c.nominalBytes(),
        "files=" + c.files,
        "lines=" + c.lines,
        "bytes=" + c.bytes,
        "sessions=" + c.sessions,
        "subagentFiles=" + c.subagentFiles,
        "historyLines=" + c.history.size(),
        "responses=" + c.responses,
        "inputTokens=" + c.inputTokens,
        "outputTokens=" + c.outputTokens,
        "cacheCreationTokens=" + c.cacheCreationTokens,
        "cacheReadTokens=" + c.cacheReadTokens,
        "");
    Files.writeString(path, text, StandardCharsets.UTF_8);
  }

  private static String required(String flag, String value) {
    if (value == null) {
      usage(flag + " needs a value");
    }
    return value;
  }

  private static long number(String flag, String value) {
    try {
      return Long.parseLong(required(flag, value));
    } catch (NumberFormatException e) {
      usage(flag + " needs a whole number, not " + value);
      return 0;
    }
  }

  private static void usage(String problem) {
    System.err.println("CorpusGenerator: " + problem);
    System.err.println("usage: CorpusGenerator --out DIR [--size-mb 120] [--seed 42] [--lean]");
    System.exit(2);
  }

  private CorpusGenerator() {}
}
