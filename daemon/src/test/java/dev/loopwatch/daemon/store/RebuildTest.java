package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropping the projection and replaying the journal gives back every table, row for row. */
class RebuildTest {
  @TempDir Path tmp;

  @Test
  void rebuildRestoresEveryTableExactly() throws Exception {
    try (TestDaemon d = new TestDaemon(tmp)) {
      d.startOnSamples();
      Map<String, String> before;
      try (Connection c = d.daemon().database().connection()) {
        before = TableChecksums.of(c);
      }
      assertTrue(!before.get("events").startsWith("0:") && !before.get("api_requests").startsWith("0:"), before.toString());
      long events = d.daemon().projector().rebuild().get(60, TimeUnit.SECONDS);
      Map<String, String> after;
      try (Connection c = d.daemon().database().connection()) {
        after = TableChecksums.of(c);
      }
      assertEquals(before, after);
      assertEquals(Long.parseLong(before.get("events").split(":")[0]), events);
    }
  }
}
