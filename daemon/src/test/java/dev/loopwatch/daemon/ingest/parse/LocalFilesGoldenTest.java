package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.event.EventKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real non-transcript samples against their golden events: {@code history.jsonl}, the live-session
 * files, and the other hook-free documents (status-line inputs, {@code stats-cache.json}, task records),
 * which no dedicated parser reads and which show what the generic parser keeps of real nested JSON.
 */
class LocalFilesGoldenTest {

  @Test
  void promptHistory() {
    Path samples = Fixtures.samples();
    Path file = samples.resolve("local-files/F0rty-Tw0-dotclaude/history.jsonl");
    CollectingSink sink = new CollectingSink();
    LineFeeder fed = LineFeeder.feed(Parsers.lineParser(SourceKind.CLAUDE_HISTORY),
        Fixtures.context(samples, file, SourceKind.CLAUDE_HISTORY, sink), file);
    assertEquals(13, fed.lines);
    assertEquals(0, fed.badLines);
    assertEquals(13, sink.of(EventKind.PROMPT).size());
    Golden.check("local-files/history.jsonl.json", EventJson.of(sink.events));
  }

  @Test
  void liveSessions() throws IOException {
    Path samples = Fixtures.samples();
    ObjectNode all = JsonNodeFactory.instance.objectNode();
    List<Path> files = list(samples.resolve("local-files/nexus-dotclaude/sessions"));
    assertEquals(5, files.size());
    for (Path file : files) {
      CollectingSink sink = new CollectingSink();
      try {
        Parsers.wholeFileParser(SourceKind.CLAUDE_LIVE_SESSION)
            .parse(Files.readAllBytes(file), Fixtures.context(samples, file, SourceKind.CLAUDE_LIVE_SESSION, sink));
      } catch (BadLineException e) {
        throw new AssertionError(file + " is a valid live-session file", e);
      }
      assertEquals(1, sink.of(EventKind.SESSION_STATE).size());
      assertEquals(1, sink.projects.size());
      all.set(file.getFileName().toString(), EventJson.of(sink.events));
    }
    Golden.check("local-files/sessions.json", all);
  }

  @Test
  void otherHookFreeSamplesThroughTheGenericParser() throws IOException {
    Path samples = Fixtures.samples();
    ObjectNode all = JsonNodeFactory.instance.objectNode();
    List<Path> files;
    try (Stream<Path> walk = Stream.concat(Files.walk(samples.resolve("statusline")),
        Files.walk(samples.resolve("local-files/nexus-dotclaude")))) {
      files = walk.filter(p -> p.toString().endsWith(".json") && !p.getParent().endsWith("sessions"))
          .sorted().collect(Collectors.toList());
    }
    assertEquals(9, files.size(), files.toString());
    for (Path file : files) {
      JsonNode doc = Fixtures.json(Fixtures.read(file));
      CollectingSink sink = new CollectingSink();
      try {
        Parsers.lineParser(SourceKind.GENERIC_JSONL)
            .parse(doc, Fixtures.context(samples, file, SourceKind.GENERIC_JSONL, sink));
      } catch (BadLineException e) {
        throw new AssertionError(file + " is a JSON object", e);
      }
      assertEquals(1, sink.of(EventKind.RAW).size());
      all.set(samples.relativize(file).toString(), EventJson.of(sink.events));
    }
    assertFalse(all.isEmpty());
    Golden.check("other/documents.json", all);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }
}
