package dev.loopwatch.daemon.store.query;

import java.time.Instant;

/** A file agents keep changing: edits, lines added/removed, sessions, last change. */
public record HotFile(
    String path, long edits, long linesAdded, long linesRemoved, long sessions, Instant lastChanged) {}
