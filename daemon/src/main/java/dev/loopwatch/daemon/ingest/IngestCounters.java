package dev.loopwatch.daemon.ingest;

import java.util.concurrent.atomic.LongAdder;

/** Running totals of the ingest, read by status reporting and the benchmark's caught-up line. */
public final class IngestCounters {
  final LongAdder filesRead = new LongAdder();
  final LongAdder linesRead = new LongAdder();
  final LongAdder bytesRead = new LongAdder();
  final LongAdder eventsProduced = new LongAdder();
  final LongAdder badLines = new LongAdder();
  final LongAdder oversizeLines = new LongAdder();
  final LongAdder invalidUtf8Lines = new LongAdder();
  final LongAdder partialLinesDropped = new LongAdder();
  final LongAdder rewrites = new LongAdder();
  final LongAdder rotations = new LongAdder();
  final LongAdder deletions = new LongAdder();
  final LongAdder adoptions = new LongAdder();
  final LongAdder rescans = new LongAdder();
  final LongAdder watcherResets = new LongAdder();
  final LongAdder readErrors = new LongAdder();

  /** A consistent-enough copy for reporting. */
  public IngestStats snapshot(int trackedFiles, int openFiles, long lagBytes) {
    return new IngestStats(
        trackedFiles,
        openFiles,
        filesRead.sum(),
        linesRead.sum(),
        bytesRead.sum(),
        eventsProduced.sum(),
        badLines.sum(),
        oversizeLines.sum(),
        invalidUtf8Lines.sum(),
        partialLinesDropped.sum(),
        rewrites.sum(),
        rotations.sum(),
        deletions.sum(),
        adoptions.sum(),
        rescans.sum(),
        watcherResets.sum(),
        readErrors.sum(),
        lagBytes);
  }
}
