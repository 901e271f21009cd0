package dev.loopwatch.daemon.store.query;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/** Which sessions to list: most recent first, filtered by project substring, days, outcome. */
public record SessionQuery(String project, LocalDate since, LocalDate until, String outcome, ZoneId zone, int limit) {
  public SessionQuery {
    Objects.requireNonNull(zone, "zone");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }
}
