package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash during a commit can leave H2 (2.5.252) with a transaction it recovers as COMMITTED and never
 * finishes; every later write to a row it touched then spins forever (ProjectionCrashIT hit it: the
 * projector hung on its offset row at 100 % CPU after a {@code kill -9}). Here that state is made on
 * purpose: an update of the offset row whose undo log is marked committed and persisted, then the
 * database closed like a power cut. Opening the store must notice it and start over from an empty
 * projection (the journal rebuilds it), so that writes work again.
 */
class WedgedStoreTest {
  @TempDir Path tmp;

  @Test
  void aStoreWedgedByACrashedCommitIsRebuiltAndWritableAgain() throws Exception {
    Path file = tmp.resolve("store").resolve("loopwatch");
    Database db = new Database(file);
    db.start();
    try (Connection c = db.connection()) {
      writeOffset(c, 42);
    }
    db.close();
    wedge(file);
    assertEquals(List.of("COMMITTED"), leftoverStatuses(file), "the crash left a transaction H2 never finishes");

    Database reopened = new Database(file);
    reopened.start();
    ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "wedged-store-writer");
      t.setDaemon(true); // if the write spins, it must not keep the test JVM alive
      return t;
    });
    try {
      Future<Long> offsetBefore = writer.submit(() -> {
        try (Connection c = reopened.connection()) {
          long before = readOffset(c);
          writeOffset(c, 43);
          return before;
        }
      });
      assertEquals(-1L, offsetBefore.get(30, TimeUnit.SECONDS), "the store starts over, empty, to be rebuilt");
      try (Connection c = reopened.connection()) {
        assertEquals(43L, readOffset(c));
      }
    } finally {
      writer.shutdownNow();
      reopened.close();
    }
    assertEquals(List.of(), leftoverStatuses(file), "nothing left over after a clean close");
  }

  @Test
  void aHealthyStoreKeepsItsRows() throws Exception {
    Path file = tmp.resolve("store").resolve("loopwatch");
    Database db = new Database(file);
    db.start();
    try (Connection c = db.connection()) {
      writeOffset(c, 42);
    }
    db.close();
    Database reopened = new Database(file);
    reopened.start();
    try (Connection c = reopened.connection()) {
      assertEquals(42L, readOffset(c));
    } finally {
      reopened.close();
    }
  }

  private static void writeOffset(Connection c, long index) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("MERGE INTO projection_offset KEY(name) VALUES ('main', " + index + ", 1, 0)");
    }
    c.commit();
  }

  private static long readOffset(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT queue_index FROM projection_offset")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * What a crash in the middle of a commit leaves: the offset row updated by a transaction whose undo log
   * is marked committed but not yet applied, persisted, then the files closed without any cleanup.
   */
  private static void wedge(Path file) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE projection_offset SET events = events + 1 WHERE name = 'main'");
    }
    SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
    TransactionStore store = session.getDatabase().getStore().getTransactionStore();
    // the first step of TransactionStore.commit (H2 2.5.252), private
    Method mark = TransactionStore.class.getDeclaredMethod("markUndoLogAsCommitted", int.class, long.class);
    mark.setAccessible(true);
    mark.invoke(store, session.getTransaction().getId(), 1L);
    session.getDatabase().getStore().getMvStore().commit(); // what H2's background writer does meanwhile
    try (Statement s = c.createStatement()) {
      s.execute("SHUTDOWN IMMEDIATELY"); // like a power cut: no cleanup
    } catch (SQLException closedUnderUs) {
      // expected: the connection goes with the database
    }
  }

  /** Statuses of the transactions H2 holds open right after opening the file (nothing else running). */
  private static List<String> leftoverStatuses(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
      SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
      List<String> statuses =
          session.getDatabase().getStore().getTransactionStore().getOpenTransactions().stream()
              .filter(t -> t != session.getTransaction())
              .map(t -> t.getStatus() == Transaction.STATUS_COMMITTED ? "COMMITTED" : "status " + t.getStatus())
              .toList();
      try (Statement s = c.createStatement()) {
        s.execute("SHUTDOWN IMMEDIATELY"); // never write to a wedged file
      } catch (SQLException closedUnderUs) {
        // expected
      }
      assertTrue(statuses.size() <= 1, statuses.toString());
      return statuses;
    }
  }
}
