package dev.loopwatch.daemon.server;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.loopwatch.daemon.ingest.IngestStats;
import java.time.Instant;
import java.util.List;

/** {@code loopwatch status}: the ingest, the journal, the store and the scheduled jobs. */
public record DaemonStatus(
    String version, long pid, long uptimeMs, String socket, Ingest ingest, Journal journal, Store store, List<Job> jobs) {

  /** The ingest's counters and lag. */
  public record Ingest(
      boolean caughtUp, int backlog, List<String> roots, String deadLetters, @JsonUnwrapped IngestStats counters) {}

  public record Journal(String dir, long lastIndex, long documents, long events, int backlog, long bytes) {}

  public record Store(
      String file, long projectedIndex, long eventsApplied, boolean caughtUp, long lagDocuments, Instant lastCommit, long bytes) {}

  /** A scheduled job: when it last ran and how that went, when it runs next. */
  public record Job(String name, String schedule, Instant lastRun, String lastOutcome, Instant nextRun) {}

  public DaemonStatus {
    jobs = List.copyOf(jobs);
  }
}
