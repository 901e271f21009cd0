package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.pricing.PriceTable;
import dev.loopwatch.daemon.pricing.TablePricer;
import dev.loopwatch.daemon.store.query.Queries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;

/**
 * A real H2 store in a temporary directory, fed through the real {@link Projection} (one transaction per
 * {@link #apply} call, as the projector commits a batch) and asked through the real {@link Queries},
 * priced with the shipped price table.
 */
final class ProjectedStore implements AutoCloseable {
  final Database db;
  final Projection projection;
  final Queries queries;
  private long index;

  ProjectedStore(Path dir) {
    this(dir, java.time.ZoneOffset.UTC);
  }

  /** @param zone the zone of the local days the store keeps sums for (the daemon's) */
  ProjectedStore(Path dir, java.time.ZoneId zone) {
    PriceTable prices;
    try {
      prices = PriceTable.load(null, null);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
    TablePricer pricer = new TablePricer(() -> prices);
    db = new Database(dir.resolve("store"));
    db.start();
    projection = new Projection(pricer::splitFor, zone);
    queries = new Queries(db, pricer);
  }

  ProjectedStore apply(Event... events) {
    return apply(List.of(events));
  }

  ProjectedStore apply(List<Event> events) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      projection.apply(c, events, Collections.nCopies(events.size(), index++));
      c.commit();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return this;
  }

  long count(String sql) {
    try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
