package dev.loopwatch.daemon.ingest;

/**
 * Ingest counters at one moment. {@code lagBytes} is what the tracked files hold beyond their
 * checkpoints as of the last rescan.
 */
public record IngestStats(
    int trackedFiles,
    int openFiles,
    long filesRead,
    long linesRead,
    long bytesRead,
    long eventsProduced,
    long badLines,
    long oversizeLines,
    long invalidUtf8Lines,
    long partialLinesDropped,
    long rewrites,
    long rotations,
    long deletions,
    long adoptions,
    long rescans,
    long watcherResets,
    long readErrors,
    long lagBytes) {}
