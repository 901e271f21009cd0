package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 runs DDL outside transactions, so a daemon killed (or stopped) while Flyway migrates a new store
 * leaves the migration half done, and every later start failed on it ("Table ... already exists",
 * "Detected failed migration to version 1"): KillDuringBackfillIT and RestartCasesIT hit both once the
 * ingest started before the store opened. Opening such a store must start over from an empty, fully
 * migrated one (the journal rebuilds it).
 */
class HalfMigratedStoreTest {
  @TempDir Path tmp;

  @Test
  void aStoreStoppedInItsFirstMigrationIsMadeAgain() throws Exception {
    Path file = tmp.resolve("loopwatch");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      // the first statement of V1 ran, Flyway recorded nothing yet
      s.execute("CREATE TABLE projection_offset (name VARCHAR(64) PRIMARY KEY, queue_index BIGINT NOT NULL)");
    }
    assertOpensMigratedAndWritable(file);
  }

  @Test
  void aStoreWithAFailedMigrationInItsHistoryIsMadeAgain() throws Exception {
    Path file = tmp.resolve("loopwatch");
    Database db = new Database(file);
    db.start();
    db.close();
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      // what Flyway leaves when the process dies inside a migration it had begun to record
      s.execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '3'");
    }
    assertOpensMigratedAndWritable(file);
  }

  private static void assertOpensMigratedAndWritable(Path file) throws SQLException {
    Database db = new Database(file);
    db.start();
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      assertEquals(List.of(0L), Sql.list(c, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE NOT \"success\"",
          rs -> rs.getLong(1)), "no failed migration left");
      assertEquals(List.of("5"), Sql.list(c, "SELECT MAX(\"version\") FROM \"flyway_schema_history\"",
          rs -> rs.getString(1)), "migrated to the current version");
      s.execute("INSERT INTO projection_offset (name, queue_index, events, updated_at) VALUES ('p', 1, 0, 0)");
      assertEquals(List.of(0L), Sql.list(c, "SELECT COUNT(*) FROM usage_totals", rs -> rs.getLong(1)));
    } finally {
      db.close();
    }
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
  }
}
