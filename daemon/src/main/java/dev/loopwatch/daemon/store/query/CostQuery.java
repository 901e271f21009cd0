package dev.loopwatch.daemon.store.query;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A cost question: grouped by {@code by} (or only totals when {@code null}), between two calendar days
 * of {@code zone} inclusive (either may be {@code null}), optionally for one project (a substring of
 * its directory).
 */
public record CostQuery(CostGrouping by, LocalDate since, LocalDate until, ZoneId zone, String project) {
  public CostQuery {
    Objects.requireNonNull(zone, "zone");
    if (since != null && until != null && until.isBefore(since)) {
      throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
    }
  }
}
