package dev.loopwatch.daemon.store;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.store.query.Queries;
import dev.loopwatch.daemon.store.query.SessionQuery;
import dev.loopwatch.daemon.store.query.SessionRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleOutcomesTest {
  TestDaemon d;
  Queries queries;

  @BeforeAll
  void ingestSamples(@TempDir Path tmp) {
    d = new TestDaemon(tmp);
    Samples.installTranscripts(d.claude);
    d.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> d.quiet() && d.daemon().projector().caughtUp());
    queries = d.daemon().queries();
  }

  @AfterAll
  void stop() {
    d.close();
  }

  @Test
  void everySessionMatchesItsGoldenOutcome() throws Exception {
    List<SessionRow> rows = queries.sessions(new SessionQuery(null, null, null, null, ZoneOffset.UTC, 1000));
    ObjectNode all = StoreGolden.MAPPER.createObjectNode();
    for (SessionRow r : rows.stream().sorted(Comparator.comparing(SessionRow::sessionId)).toList()) {
      ObjectNode s = all.putObject(r.sessionId());
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
    StoreGolden.check("sessions.json", all);
  }
}
