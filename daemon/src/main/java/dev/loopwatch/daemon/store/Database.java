package dev.loopwatch.daemon.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 file database, opened only by the daemon (H2 allows one process per file; the client
 * asks the daemon). The schema is brought up to date by Flyway's versioned migrations in
 * {@code db/migration}, so a user's long-lived database upgrades in place.
 *
 * <p>H2's default write delay is kept: a {@code kill -9} may drop the last ~0.5 s of commits, which is
 * fine because the projector stores its journal position in the same transaction as its rows and
 * resumes from what was really committed.
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
    JdbcConnectionPool p = JdbcConnectionPool.create(url, "sa", "");
    p.setMaxConnections(32);
    try {
      Flyway.configure()
          .dataSource(p)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      p.dispose();
      throw e;
    }
    pool = p;
    log.info("store - opened {}.mv.db", file);
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
