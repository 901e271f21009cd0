package dev.loopwatch.daemon.storeit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.bench.CorpusGenerator;
import dev.loopwatch.daemon.serverit.ChildDaemon;
import dev.loopwatch.daemon.store.TableChecksums;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while the store is projecting, again and again, then a restart that catches up: every
 * projection table must be exactly what a clean rebuild from the journal gives, and the cost totals what
 * the corpus generator counted (each API response once).
 *
 * <p>The daemon runs on a generated corpus ({@code -Dloopwatch.crashit.sizeMb}, default 80 MiB: large
 * enough that projecting it takes several commits of the projector). Each run is killed only once the
 * status shows the store's projected index has moved in that run and the store is not caught up; some
 * kills come right after a commit (inside H2's ~0.5 s write delay, so the commit is likely lost and the
 * batch applied again), the others after a random pause (mid-batch). A run that finds everything
 * projected already asks for a rebuild and is killed during its replay. The tables are read from the H2
 * file by the test itself, with the daemon stopped, before and after {@code {"op":"rebuild"}}.
 */
class ProjectionCrashIT {
  private static final int SIZE_MB = Integer.getInteger("loopwatch.crashit.sizeMb", 80);
  private static final int KILLS = Integer.getInteger("loopwatch.crashit.kills", 5);
  private static final long SEED = Long.getLong("loopwatch.crashit.seed", 7);
  private static final Duration POLL = Duration.ofMillis(25);

  /** What the status said just before a kill, and what the next start found. */
  record Kill(int run, long projectedAtStart, long projectedAtKill, long lagAtKill, long journalLastIndex,
      long eventsAppliedInRun, long pauseMs) {}

  @Test
  void killNineWhileProjectingThenTablesEqualACleanRebuild(@TempDir Path tmp) throws Exception {
    assertTrue(KILLS >= 4, "at least 4 kills");
    Path corpus = tmp.resolve("corpus");
    CorpusGenerator.main(new String[] {"--out", corpus.toString(), "--size-mb", Integer.toString(SIZE_MB), "--seed",
        Long.toString(SEED)});
    Properties expected = new Properties();
    try (Reader r = Files.newBufferedReader(corpus.resolve("corpus.properties"))) {
      expected.load(r);
    }
    Path root = tmp.resolve("daemon");
    Path db = ChildDaemon.stateDir(root).resolve("store").resolve("loopwatch");
    SplittableRandom random = new SplittableRandom(SEED);

    // 1. kill -9 while projecting, KILLS times
    List<Kill> kills = new ArrayList<>();
    int run = 0;
    while (kills.size() < KILLS) {
      run++;
      try (ChildDaemon d = ChildDaemon.startWithHome(root, corpus, "run-" + run + ".log")) {
        JsonNode first = d.status();
        long start = first.path("store").path("projectedIndex").asLong();
        long eventsAtStart = first.path("store").path("eventsApplied").asLong();
        // the store commits a batch in this run, and is not caught up
        JsonNode moved = pollUntil(d, s -> store(s).path("projectedIndex").asLong() > start || ChildDaemon.caughtUp(s));
        long projectedAtStart = start;
        boolean rebuilding = ChildDaemon.caughtUp(moved);
        if (rebuilding) {
          // Everything journaled was projected before this run could be killed (a fast machine, or a late
          // kill before): a rebuild replays the journal from its start, and this run's kill lands in the
          // replay, which the next start resumes from its last commit like any projection.
          System.out.println("ProjectionCrashIT: run " + run + " found the store caught up; killing it during a rebuild");
          Thread rebuild = new Thread(() -> askRebuild(d), "crashit-rebuild");
          rebuild.setDaemon(true);
          rebuild.start();
          projectedAtStart = -1;
          pollUntil(d, s -> store(s).path("projectedIndex").asLong() > -1 && !store(s).path("caughtUp").asBoolean());
        }
        // every other kill right after a commit (H2 likely drops it), the others after a random pause
        long pause = kills.size() % 2 == 0 ? 0 : random.nextLong(100, 1500);
        if (pause > 0) {
          Thread.sleep(pause); // the fault's timing, not a wait for a condition
        }
        JsonNode last = d.status();
        if (!store(last).path("caughtUp").asBoolean() && store(last).path("lagDocuments").asLong() > 0) {
          d.kill();
          assertFalse(!rebuilding && d.log().contains("store caught up:"), "run " + run + " caught up before its kill:\n" + d.log());
          kills.add(new Kill(run, projectedAtStart, store(last).path("projectedIndex").asLong(),
              store(last).path("lagDocuments").asLong(), last.path("journal").path("lastIndex").asLong(),
              store(last).path("eventsApplied").asLong() - eventsAtStart, pause));
          System.out.println("ProjectionCrashIT: kill -9 #" + kills.size() + ": " + kills.get(kills.size() - 1));
        } else {
          d.kill(); // it caught up during the pause: not a kill mid-projection, and not counted
          System.out.println("ProjectionCrashIT: run " + run + " caught up during a " + pause + " ms pause; not counted");
        }
      }
    }

    // 2. restart and let it catch up
    Map<String, String> afterCrashes;
    Map<String, Long> offsetAfterCrashes;
    JsonNode totalsAfterCrashes;
    try (ChildDaemon d = ChildDaemon.startWithHome(root, corpus, "final.log")) {
      JsonNode first = d.status();
      long resumedAt = store(first).path("projectedIndex").asLong();
      System.out.printf("ProjectionCrashIT: restarted after %d kills; the store resumed at %d (lag %d documents)%n",
          kills.size(), resumedAt, store(first).path("lagDocuments").asLong());
      long t0 = System.nanoTime();
      await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> d.log().contains("store caught up:") && ChildDaemon.caughtUp(d.status()));
      System.out.printf("ProjectionCrashIT: caught up %d ms later: %s%n", (System.nanoTime() - t0) / 1_000_000,
          d.log().lines().filter(l -> l.contains("caught up:")).toList());
      totalsAfterCrashes = d.ask("cost", Map.of(), Duration.ofSeconds(60)).path("totals");
      int exit = d.stop();
      assertTrue(exit == 143 || exit == 0, "exit status after SIGTERM: " + exit);
    }
    // the generator's totals: each API response once, whatever the crashes did
    for (String field : List.of("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens")) {
      assertEquals(Long.parseLong(expected.getProperty(field)), totalsAfterCrashes.path(field).asLong(),
          field + " after " + kills.size() + " kills: " + totalsAfterCrashes);
    }
    assertTrue(totalsAfterCrashes.path("totalCost").decimalValue().signum() > 0, totalsAfterCrashes.toString());
    try (Connection c = open(db)) {
      afterCrashes = TableChecksums.of(c);
      offsetAfterCrashes = offset(c);
    }
    System.out.println("ProjectionCrashIT: tables after the crashes: " + afterCrashes + " " + offsetAfterCrashes);
    assertFalse(afterCrashes.get("api_requests").startsWith("0:"), afterCrashes.toString());

    // 3. a clean rebuild from the journal, with nothing else going on
    JsonNode totalsAfterRebuild;
    long rebuilt;
    try (ChildDaemon d = ChildDaemon.startWithHome(root, corpus, "rebuild.log")) {
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> ChildDaemon.caughtUp(d.status()));
      JsonNode r = d.ask("rebuild", Map.of(), Duration.ofMinutes(30));
      rebuilt = r.path("events").asLong();
      System.out.println("ProjectionCrashIT: rebuild: " + r);
      totalsAfterRebuild = d.ask("cost", Map.of(), Duration.ofSeconds(60)).path("totals");
      int exit = d.stop();
      assertTrue(exit == 143 || exit == 0, "exit status after SIGTERM: " + exit);
    }
    Map<String, String> afterRebuild;
    Map<String, Long> offsetAfterRebuild;
    try (Connection c = open(db)) {
      afterRebuild = TableChecksums.of(c);
      offsetAfterRebuild = offset(c);
    }
    assertEquals(afterRebuild, afterCrashes, "every projection table, row for row, after " + kills.size() + " kills: " + kills);
    assertEquals(offsetAfterRebuild, offsetAfterCrashes, "projection_offset (queue index, events)");
    assertEquals(Long.parseLong(afterRebuild.get("events").split(":")[0]), rebuilt, "events replayed by the rebuild");
    assertEquals(totalsAfterRebuild, totalsAfterCrashes, "cost totals");

    // what the restarts found: commits H2 dropped (the run started below the index seen at the kill), and
    // stores wedged by a crash inside a commit (deleted and rebuilt from the journal at start)
    long wedged = 0;
    try (var logs = Files.list(root)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        wedged += Files.readString(log).lines().filter(l -> l.contains("H2 recovered as committed but never finished")).count();
      }
    }
    int lost = 0;
    for (int i = 1; i < kills.size(); i++) {
      if (kills.get(i).run() == kills.get(i - 1).run() + 1 && kills.get(i).projectedAtStart() < kills.get(i - 1).projectedAtKill()) {
        lost++;
      }
    }
    System.out.printf("ProjectionCrashIT: %d kills in %d runs; %d restarts resumed below the index seen at the kill"
        + " (commits H2 dropped, or a wedged store rebuilt); %d wedged stores rebuilt%n", kills.size(), run, lost, wedged);

    // 4. the kills really happened mid-projection: each run committed in it, then died behind the journal
    assertTrue(kills.size() >= 4, kills.toString());
    for (Kill k : kills) {
      assertTrue(k.projectedAtKill() > k.projectedAtStart(), "run " + k.run() + " projected nothing before its kill: " + k);
      assertTrue(k.lagAtKill() > 0 && k.projectedAtKill() < k.journalLastIndex(), "run " + k.run() + " was caught up: " + k);
    }
  }

  /** Asks for a rebuild and waits for its answer, which the kill usually cuts off. */
  private static void askRebuild(ChildDaemon d) {
    try {
      d.ask("rebuild", Map.of(), Duration.ofMinutes(10));
    } catch (IOException | RuntimeException cutOff) {
      // the daemon was killed during the rebuild: that is the point
    }
  }

  private static JsonNode store(JsonNode status) {
    return status.path("store");
  }

  private interface StatusCheck {
    boolean test(JsonNode status);
  }

  private static JsonNode pollUntil(ChildDaemon d, StatusCheck check) {
    JsonNode[] seen = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(POLL)
        .alias("the store's projected index to move")
        .until(() -> {
          if (!d.isAlive()) {
            throw new IllegalStateException("the daemon died:\n" + d.log());
          }
          seen[0] = d.status();
          return check.test(seen[0]);
        });
    return seen[0];
  }


  /** The H2 file the daemon wrote, opened by the test while the daemon is stopped. */
  private static Connection open(Path db) throws Exception {
    assertTrue(Files.isRegularFile(db.resolveSibling("loopwatch.mv.db")), "no database at " + db);
    return DriverManager.getConnection("jdbc:h2:file:" + db + ";ACCESS_MODE_DATA=r", "sa", "");
  }

  /** projection_offset without its wall-clock column. */
  private static Map<String, Long> offset(Connection c) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name, queue_index, events FROM projection_offset ORDER BY name")) {
      while (rs.next()) {
        out.put(rs.getString(1) + ".queue_index", rs.getLong(2));
        out.put(rs.getString(1) + ".events", rs.getLong(3));
      }
    }
    return out;
  }
}
