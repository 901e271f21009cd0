package dev.loopwatch.daemon.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.tx.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 file database, opened only by the daemon (H2 allows one process per file; the client
 * asks the daemon). The schema is brought up to date by Flyway's versioned migrations in
 * {@code db/migration}, so a user's long-lived database upgrades in place.
 *
 * <p>H2's default write delay is kept: a {@code kill -9} may drop the last ~0.5 s of commits, which is
 * fine because the projector stores its journal position in the same transaction as its rows and
 * resumes from what was really committed. A crash in the middle of a commit can, however, leave a
 * transaction H2 never finishes after recovery (see {@link #wedgedTransactions}); such a file is
 * deleted at start and the projection rebuilt from the journal.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final Path file;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile JdbcConnectionPool pool;

  /** @param file the database file without its {@code .mv.db} suffix */
  public Database(Path file) {
    this.file = file;
  }

  public void start() {
    if (pool != null) {
      return;
    }
    // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the database under the projector;
    // the daemon closes it last, in order.
    // TRACE_LEVEL_FILE=0: H2 would otherwise keep its own error log beside the database; ours is the journal.
    String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
    JdbcConnectionPool p = open(url);
    try {
      String wedged = wedgedTransactions(p);
      if (wedged != null) {
        p =
            startOver(
                p, url,
                "holds a transaction that H2 recovered as committed but never finished (" + wedged + "): a crash"
                    + " hit a commit in flight, and every later write to a row it touched would spin forever");
      }
      try {
        migrate(p);
      } catch (FlywayException e) {
        p =
            startOver(
                p, url,
                "cannot be brought to the current schema (" + e.getMessage().lines().findFirst().orElse("") + "): a"
                    + " crash or a stop during an earlier migration leaves one half done, as H2 cannot roll DDL back");
        migrate(p);
      }
    } catch (RuntimeException e) {
      p.dispose();
      throw e;
    }
    pool = p;
    log.info("store - opened {}.mv.db", file);
  }

  /** Logs why, deletes the database and opens an empty one: the journal rebuilds the projection. */
  private JdbcConnectionPool startOver(JdbcConnectionPool p, String url, String why) {
    log.warn(
        "store - {}.mv.db {}. The database is a projection of the journal: deleting it, the store is rebuilt"
            + " from the journal", file, why);
    discard(p);
    return open(url);
  }

  private static void migrate(JdbcConnectionPool p) {
    Flyway.configure().dataSource(p).locations("classpath:db/migration").load().migrate();
  }

  private static JdbcConnectionPool open(String url) {
    JdbcConnectionPool p = JdbcConnectionPool.create(url, "sa", "");
    p.setMaxConnections(32);
    return p;
  }

  /**
   * H2 2.x (up to 2.5.252 at least) recovers a transaction whose commit was in flight when the process
   * died (its undo log persisted as committed but not yet applied) with status COMMITTED, and then never
   * finishes it: {@code Transaction.commit()} does nothing for a transaction already COMMITTED, so the
   * transaction keeps its slot and its rows. Any later write to one of those rows livelocks in
   * {@code TransactionMap.set} at 100 % CPU (the blocker "ends" at once, LOCK_TIMEOUT never fires): the
   * projector hangs on its offset row. In a database just opened, no transaction can legitimately be in
   * that state. Returns a description of such transactions, or {@code null} when there are none (or
   * when H2's internals cannot be inspected).
   */
  private static String wedgedTransactions(JdbcConnectionPool p) {
    try (Connection c = p.getConnection()) {
      if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
        return null;
      }
      List<String> wedged = new ArrayList<>();
      for (Transaction t : session.getDatabase().getStore().getTransactionStore().getOpenTransactions()) {
        if (t.getStatus() == Transaction.STATUS_COMMITTED) {
          wedged.add("transaction " + t);
        }
      }
      return wedged.isEmpty() ? null : String.join(", ", wedged);
    } catch (SQLException | RuntimeException | LinkageError e) {
      log.debug("store - cannot inspect H2's recovered transactions: {}", e.toString());
      return null;
    }
  }

  /** Closes the database without writing to it (it is wedged or half migrated) and deletes its file. */
  private void discard(JdbcConnectionPool p) {
    try (Connection c = p.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN IMMEDIATELY");
    } catch (SQLException e) {
      // SHUTDOWN IMMEDIATELY closes the connection under the statement
    }
    p.dispose();
    Path mv = file.resolveSibling(file.getFileName() + ".mv.db");
    try {
      Files.deleteIfExists(mv);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the store " + mv, e);
    }
  }

  /** A pooled connection; the caller closes it. */
  public Connection connection() throws SQLException {
    JdbcConnectionPool p = pool;
    if (p == null || closed.get()) {
      throw new SQLException("the store is not open");
    }
    return p.getConnection();
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    if (pool == null || !closed.compareAndSet(false, true)) {
      return;
    }
    // Closing the last connection closes the database cleanly (everything written, a short compaction);
    // the projector and the server have given theirs back by now.
    pool.dispose();
    log.info("store - closed");
  }
}
