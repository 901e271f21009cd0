package dev.loopwatch.daemon.journal;

import java.io.File;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.util.FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole journal cycles (daily files) that ended more than {@code journal.retentionDays} ago —
 * never a cycle that a reader still needs, never the current one, never a file some process holds open
 * (Chronicle's own candidate list walks {@code /proc/*}/fd).
 */
public final class JournalRetention {
  private static final Logger log = LoggerFactory.getLogger(JournalRetention.class);

  private final Journal journal;
  private final IntSupplier retentionDays;
  private final List<LongSupplier> neededIndexes;
  private final Clock clock;

  /**
   * @param neededIndexes journal indexes readers have not passed yet (their cycles and later are kept);
   *     a negative value means "nothing needed"
   */
  public JournalRetention(Journal journal, IntSupplier retentionDays, List<LongSupplier> neededIndexes, Clock clock) {
    this.journal = journal;
    this.retentionDays = retentionDays;
    this.neededIndexes = List.copyOf(neededIndexes);
    this.clock = clock;
  }

  /** Deletes what is past retention; returns the number of cycle files deleted. */
  public int run() {
    RollCycle cycle = journal.queue().rollCycle();
    DateTimeFormatter names = DateTimeFormatter.ofPattern(cycle.format()).withZone(ZoneOffset.UTC);
    long cutoff = clock.millis() - retentionDays.getAsInt() * 86_400_000L;
    int keepFromCycle = cycle.toCycle(Math.max(0, journal.lastIndex()));
    for (LongSupplier needed : neededIndexes) {
      long idx = needed.getAsLong();
      if (idx >= 0) {
        keepFromCycle = Math.min(keepFromCycle, cycle.toCycle(idx));
      }
    }
    int deleted = 0;
    for (File f : FileUtil.removableRollFileCandidates(journal.dir().toFile()).toList()) {
      Instant start = cycleStart(f.getName(), names);
      if (start == null) {
        continue;
      }
      long end = start.toEpochMilli() + cycle.lengthInMillis();
      int fileCycle = (int) (start.toEpochMilli() / cycle.lengthInMillis());
      if (end <= cutoff && fileCycle < keepFromCycle) {
        if (f.delete()) {
          deleted++;
          log.info("journal - deleted {} (older than {} days)", f.getName(), retentionDays.getAsInt());
        } else {
          log.warn("journal - could not delete {}", f);
        }
      }
    }
    return deleted;
  }

  private static Instant cycleStart(String fileName, DateTimeFormatter names) {
    if (!fileName.endsWith(".cq4")) {
      return null;
    }
    try {
      TemporalAccessor t = names.parse(fileName.substring(0, fileName.length() - 4));
      if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
        return LocalDateTime.from(t).toInstant(ZoneOffset.UTC);
      }
      return LocalDate.from(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null; // not a cycle file of this roll cycle: leave it alone
    }
  }
}
