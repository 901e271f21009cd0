package dev.loopwatch.daemon.ingest;

import java.nio.file.Path;

/** A directory watched recursively, and what kind of directory it is. */
public record WatchedRoot(Path dir, RootKind kind) {}
