package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real transcript sample against its golden summary ({@code golden/transcripts/<path>.json}). The
 * committed numbers were cross-checked by an independent computation over the raw files; run with
 * {@code -Dgolden.update=true} to rewrite them after a deliberate mapping change, then cross-check again.
 */
class TranscriptGoldenTest {

  @TestFactory
  Stream<DynamicTest> everyTranscriptMatchesItsGoldenSummary() throws IOException {
    Path root = Fixtures.samples().resolve("transcripts");
    List<Path> files = transcripts(root);
    assertFalse(files.isEmpty(), "no transcripts under " + root);
    return files.stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> {
      String rel = root.relativize(file).toString();
      CollectingSink sink = new CollectingSink();
      LineFeeder fed = LineFeeder.feed(
          Parsers.lineParser(SourceKind.CLAUDE_TRANSCRIPT),
          Fixtures.context(setRoot(root, file), file, SourceKind.CLAUDE_TRANSCRIPT, sink), file);
      ObjectNode actual = TranscriptSummary.of(rel, fed, sink);
      Golden.check("transcripts/" + rel + ".json", actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> eventIdsAreUniqueWithinAFile() throws IOException {
    Path root = Fixtures.samples().resolve("transcripts");
    return transcripts(root).stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> {
      CollectingSink sink = parse(root, file);
      Set<String> ids = new HashSet<>();
      List<Event> clashes = sink.events.stream().filter(e -> !ids.add(e.id())).collect(Collectors.toList());
      assertTrue(clashes.isEmpty(), "events sharing an id: " + clashes);
    }));
  }

  /**
   * claude-code-formats.md §1.9: over the real transcripts (spotter and sniffly; the synthetic ccusage
   * fixtures have no {@code type} and yield nothing, as in ccusage's own count), 485 distinct
   * non-synthetic requests with the {@code agent_progress} copies and 480 without. The spotter files
   * alone hold 395 and 390.
   */
  @Test
  void distinctRequestsAcrossFilesMatchTheMeasuredDedupeTable() throws IOException {
    Path root = Fixtures.samples().resolve("transcripts");
    List<Event> all = new ArrayList<>();
    List<Event> spotter = new ArrayList<>();
    for (Path file : transcripts(root)) {
      List<Event> usage = parse(root, file).of(EventKind.API_USAGE);
      all.addAll(usage);
      if (root.relativize(file).startsWith("spotter-v2.1.38-39")) {
        spotter.addAll(usage);
      }
    }
    assertEquals(485, requests(all, true));
    assertEquals(480, requests(all, false));
    assertEquals(395, requests(spotter, true));
    assertEquals(390, requests(spotter, false));
  }

  /** The progress copy of a subagent line and the subagent file's own line are one event id. */
  @Test
  void progressCopiesShareTheSubagentLinesEventIds() throws IOException {
    Path dir = Fixtures.samples().resolve("transcripts/spotter-v2.1.38-39");
    Path main = dir.resolve("4d5611e5-241a-462a-8d15-5122611a9569.jsonl");
    Path sub = dir.resolve("4d5611e5-241a-462a-8d15-5122611a9569/subagents/agent-a2898e3.jsonl");
    Set<String> progressIds = parse(dir, main).of(EventKind.API_USAGE).stream()
        .filter(e -> "progress".equals(e.attr("origin")))
        .map(Event::id)
        .collect(Collectors.toSet());
    Set<String> subIds = parse(dir, sub).of(EventKind.API_USAGE).stream().map(Event::id).collect(Collectors.toSet());
    assertEquals(33, progressIds.size());
    assertEquals(40, subIds.size());
    assertTrue(subIds.containsAll(progressIds), "every progress copy dedupes against the subagent file");
  }

  private static int requests(List<Event> usage, boolean withProgress) {
    return (int) usage.stream()
        .filter(e -> !"<synthetic>".equals(e.model()))
        .filter(e -> withProgress || !"progress".equals(e.attr("origin")))
        .map(e -> e.attr("msgId") + '\u001f' + e.attr("reqId"))
        .distinct()
        .count();
  }

  private static CollectingSink parse(Path root, Path file) {
    CollectingSink sink = new CollectingSink();
    LineFeeder.feed(Parsers.lineParser(SourceKind.CLAUDE_TRANSCRIPT),
        Fixtures.context(setRoot(root, file), file, SourceKind.CLAUDE_TRANSCRIPT, sink), file);
    return sink;
  }

  /** The watched root a tailer would use: the sample set's folder, standing in for {@code ~/.claude/projects/<project>}. */
  private static Path setRoot(Path transcripts, Path file) {
    return transcripts.resolve(transcripts.relativize(file).getName(0));
  }

  static List<Path> transcripts(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
    }
  }

}
