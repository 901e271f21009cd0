package dev.loopwatch.daemon.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.ingest.parse.EventSink;
import dev.loopwatch.daemon.ingest.parse.LineParser;
import dev.loopwatch.daemon.ingest.parse.LineTrees;
import dev.loopwatch.daemon.ingest.parse.ParseContext;
import dev.loopwatch.daemon.ingest.parse.Parsers;
import dev.loopwatch.daemon.ingest.parse.SourceFile;
import dev.loopwatch.daemon.ingest.parse.SourceKind;
import dev.loopwatch.daemon.store.query.CostGrouping;
import dev.loopwatch.daemon.store.query.CostQuery;
import dev.loopwatch.daemon.store.query.CostReport;
import dev.loopwatch.daemon.store.query.Queries;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property behind exact totals: any permutation and any duplication of a transcript's lines, split
 * across any files and projected in batches of any size, gives the same totals — per day, per session,
 * per model — and the same tool and failure counts. Uses the real parsers, real H2 and the real
 * projection on the real spotter and sniffly transcripts.
 */
class OrderIndependenceTest {
  @TempDir Path tmp;

  /** One transcript line and the file it came from. */
  record Line(Path file, byte[] bytes) {}

  @Test
  void anyOrderDuplicationAndSplitGivesTheSameTotals() throws Exception {
    Path root = Samples.dir().resolve("transcripts");
    List<Line> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().contains("ccusage")).sorted().toList()) {
        for (String l : Files.readAllLines(f, UTF_8)) {
          if (!l.isBlank()) {
            lines.add(new Line(f, l.getBytes(UTF_8)));
          }
        }
      }
    }
    assertTrue(lines.size() > 4000);
    Snapshot baseline = project(parse(lines, root, null), Integer.MAX_VALUE, "base");
    assertEquals(485, baseline.requests, "the reference number of API requests");
    for (int seed = 1; seed <= 6; seed++) {
      Random r = new Random(seed);
      List<Line> variant = new ArrayList<>(lines);
      for (int i = 0, n = lines.size() / 4; i < n; i++) {
        variant.add(lines.get(r.nextInt(lines.size()))); // duplicates
      }
      Collections.shuffle(variant, r);
      Snapshot s = project(parse(variant, root, r), 1 + r.nextInt(700), "v" + seed);
      assertEquals(baseline, s, "seed " + seed);
    }
  }

  /** Parses lines as the tailer would; with {@code split}, each line is read from a random file. */
  private static List<Event> parse(List<Line> lines, Path root, Random split) throws Exception {
    List<Event> events = new ArrayList<>();
    EventSink sink = events::add;
    LineParser parser = Parsers.lineParser(SourceKind.CLAUDE_TRANSCRIPT);
    long offset = 0;
    for (Line l : lines) {
      Path file = l.file();
      if (split != null) {
        Path dir = file.getParent();
        file = switch (split.nextInt(3)) {
          case 0 -> file;
          case 1 -> dir.resolve("part-" + split.nextInt(4) + ".jsonl");
          default -> dir.resolve("copy-" + file.getFileName());
        };
      }
      SourceFile source = new SourceFile(file, SourceKind.CLAUDE_TRANSCRIPT, root);
      ParseContext ctx = new ParseContext(source, "stream-" + file.getFileName(), "m", sink);
      parser.parse(LineTrees.read(l.bytes(), 0, l.bytes().length), ctx.at(offset, Instant.EPOCH));
      offset += l.bytes().length + 1;
    }
    return events;
  }

  /** What must not change. */
  record Snapshot(String daily, String sessions, String models, long requests, long toolCalls, long toolErrors,
      long failureOccurrences, String sessionCounters, String failures) {}

  private Snapshot project(List<Event> events, int batch, String name) throws Exception {
    try (Database db = new Database(tmp.resolve(name).resolve("db"))) {
      db.start();
      Projection projection = new Projection(model -> dev.loopwatch.daemon.pricing.TierSplit.DEFAULT, java.time.ZoneOffset.UTC);
      try (Connection c = db.connection()) {
        c.setAutoCommit(false);
        for (int i = 0; i < events.size(); i += batch) {
          List<Event> chunk = events.subList(i, Math.min(events.size(), i + batch));
          projection.apply(c, chunk, Collections.nCopies(chunk.size(), (long) i));
          c.commit();
        }
      }
      Queries q = new Queries(db, dev.loopwatch.daemon.store.query.Pricer.free());
      CostReport daily = q.cost(new CostQuery(CostGrouping.DAY, null, null, ZoneOffset.UTC, null));
      CostReport sessions = q.cost(new CostQuery(CostGrouping.SESSION, null, null, ZoneOffset.UTC, null));
      CostReport models = q.cost(new CostQuery(CostGrouping.MODEL, null, null, ZoneOffset.UTC, null));
      try (Connection c = db.connection(); Statement s = c.createStatement()) {
        return new Snapshot(
            daily.rows().toString(),
            sessions.rows().toString(),
            models.rows().toString(),
            daily.totals().requests(),
            one(s, "SELECT COUNT(*) FROM tool_calls"),
            one(s, "SELECT COUNT(*) FROM tool_calls WHERE success = FALSE AND NOT rejected"),
            one(s, "SELECT COALESCE(SUM(occurrences), 0) FROM failures"),
            rows(s, "SELECT session_id, prompts, requests, tool_calls, tool_errors, rejections, subagents, outcome"
                // a file holding only a summary line names its session by the file name alone
                + " FROM sessions WHERE prompts > 0 OR requests > 0 OR tool_calls > 0 ORDER BY session_id"),
            // every column of every repeated failure, its example included
            rows(s, "SELECT * FROM failures ORDER BY signature"));
      }
    }
  }

  private static long one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String rows(Statement s, String sql) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          sb.append(rs.getString(i)).append('|');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
