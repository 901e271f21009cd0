package dev.loopwatch.daemon.server;

/**
 * How far the store is from holding everything present when the daemon started (or when a rebuild was
 * asked for): answers read from the store carry it, so that nobody takes a partial total for the whole.
 *
 * @param filesToRead files the ingest has still to read
 * @param documentsToProject journal documents the projector has still to apply
 */
public record Backfill(int filesToRead, long documentsToProject) {}
