package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.store.RequestProjection.BucketKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The usage sums derived from the 15-minute buckets: by local day in one zone, the daemon's, which
 * store_settings records (usage_days), and over all time (usage_totals). Every zone in use today is
 * offset from UTC by a multiple of 15 minutes, so each bucket falls within one local day and a day's sums
 * are exactly its buckets' sums.
 */
public final class UsageRollups {
  static final String ZONE_SETTING = "usage_days.zone";

  private UsageRollups() {}

  /** A usage sum keyed by local day (epoch day) and the buckets' other dimensions. */
  record DayKey(long day, String machine, String project, String model, String speed, String agent)
      implements SumTable.Key {
    @Override
    public Object[] values() {
      return new Object[] {day, machine, project, model, speed, agent};
    }
  }

  /** A usage sum over all time, keyed by the buckets' other dimensions. */
  record TotalKey(String machine, String project, String model, String speed, String agent) implements SumTable.Key {
    @Override
    public Object[] values() {
      return new Object[] {machine, project, model, speed, agent};
    }
  }

  /** The deltas of the all-time sums that hold these bucket deltas. */
  static Map<TotalKey, long[]> totals(Map<BucketKey, long[]> buckets) {
    Map<TotalKey, long[]> totals = new HashMap<>();
    for (Map.Entry<BucketKey, long[]> e : buckets.entrySet()) {
      BucketKey b = e.getKey();
      add(totals, new TotalKey(b.machine(), b.project(), b.model(), b.speed(), b.agent()), e.getValue());
    }
    return totals;
  }

  /** The deltas of the days that hold these bucket deltas. */
  static Map<DayKey, long[]> days(Map<BucketKey, long[]> buckets, ZoneId zone) {
    Map<DayKey, long[]> days = new HashMap<>();
    Map<Long, Long> dayOfBucket = new HashMap<>();
    for (Map.Entry<BucketKey, long[]> e : buckets.entrySet()) {
      BucketKey b = e.getKey();
      long day = dayOfBucket.computeIfAbsent(b.bucket(), t -> epochDay(t, zone));
      add(days, new DayKey(day, b.machine(), b.project(), b.model(), b.speed(), b.agent()), e.getValue());
    }
    return days;
  }

  /**
   * Makes usage_days hold the local days of {@code zone}: when it was made for another zone, or by a
   * version without it, it and usage_totals are made again from usage_buckets (in the caller's
   * transaction).
   *
   * @return whether they were made again
   */
  static boolean ensureZone(Connection c, ZoneId zone) throws SQLException {
    ZoneId stored = zone(c);
    if (stored != null && stored.getId().equals(zone.getId())) {
      return false;
    }
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE TABLE usage_days");
      s.execute("TRUNCATE TABLE usage_totals");
    }
    // read in slices of the bucket key's order: a long history is never held in memory at once
    Map<BucketKey, long[]> slice = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT bucket, machine, project, model, speed, agent, " + SumTable.COLUMNS
                    + " FROM usage_buckets ORDER BY bucket")) {
      while (rs.next()) {
        long[] sums = new long[12];
        for (int i = 0; i < sums.length; i++) {
          sums[i] = rs.getLong(7 + i);
        }
        slice.put(
            new BucketKey(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
            sums);
        if (slice.size() >= 10_000) {
          SumTable.DAYS.write(c, days(slice, zone));
          SumTable.TOTALS.write(c, totals(slice));
          slice.clear();
        }
      }
    }
    SumTable.DAYS.write(c, days(slice, zone));
    SumTable.TOTALS.write(c, totals(slice));
    try (PreparedStatement ps =
        c.prepareStatement(
            "MERGE INTO store_settings t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR))) AS s(name, setting)"
                + " ON t.name = s.name WHEN MATCHED THEN UPDATE SET setting = s.setting"
                + " WHEN NOT MATCHED THEN INSERT (name, setting) VALUES (s.name, s.setting)")) {
      ps.setString(1, ZONE_SETTING);
      ps.setString(2, zone.getId());
      ps.executeUpdate();
    }
    return true;
  }

  /** The zone of the days in usage_days, or {@code null} when it has none yet. */
  public static ZoneId zone(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT setting FROM store_settings WHERE name = ?")) {
      ps.setString(1, ZONE_SETTING);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        try {
          return ZoneId.of(rs.getString(1));
        } catch (DateTimeException e) {
          return null; // a zone this JVM's time-zone data does not know: treated as none, refilled at start
        }
      }
    }
  }

  private static long epochDay(long bucketMillis, ZoneId zone) {
    return Instant.ofEpochMilli(bucketMillis).atZone(zone).toLocalDate().toEpochDay();
  }

  private static <K> void add(Map<K, long[]> sumsByKey, K key, long[] sums) {
    long[] total = sumsByKey.computeIfAbsent(key, k -> new long[sums.length]);
    for (int i = 0; i < sums.length; i++) {
      total[i] += sums[i];
    }
  }
}
