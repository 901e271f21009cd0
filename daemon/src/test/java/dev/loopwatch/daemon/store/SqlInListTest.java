package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IN-list helpers split keys into lists of {@link Sql#IN_LIST_KEYS}: every key must be looked up
 * exactly once whatever the count (none, less than one list, exactly one, one and a rest, several).
 */
class SqlInListTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, Sql.IN_LIST_KEYS - 1, Sql.IN_LIST_KEYS, Sql.IN_LIST_KEYS + 1, 3 * Sql.IN_LIST_KEYS + 7})
  void everyKeyIsLookedUpAndUpdatedOnce(int count) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("db"), "sa", "")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (k VARCHAR(16) PRIMARY KEY, hits INT NOT NULL)");
        st.execute("INSERT INTO t SELECT 'k' || X, 0 FROM SYSTEM_RANGE(0, 499)");
      }
      // every other key exists; the others must simply not match
      List<String> keys = IntStream.range(0, count).mapToObj(i -> "k" + (i * 2)).toList();
      long present = keys.stream().filter(k -> key(k) < 500).count();

      List<String> found = new ArrayList<>();
      Sql.eachIn(c, marks -> "SELECT k FROM t WHERE k IN (" + marks + ")", keys, rs -> found.add(rs.getString(1)));
      assertEquals(present, found.size(), "each present key once");
      assertEquals(keys.subList(0, (int) present), found.stream().sorted((a, b) -> key(a) - key(b)).toList());

      Sql.updateIn(c, marks -> "UPDATE t SET hits = hits + 1 WHERE k IN (" + marks + ")", keys);
      assertEquals(List.of(present), Sql.list(c, "SELECT COUNT(*) FROM t WHERE hits = 1", rs -> rs.getLong(1)));
      assertEquals(List.of(0L), Sql.list(c, "SELECT COUNT(*) FROM t WHERE hits > 1", rs -> rs.getLong(1)));
    }
  }

  private static int key(String k) {
    return Integer.parseInt(k.substring(1));
  }
}
