package dev.loopwatch.daemon.store.query;

import java.time.Instant;

/** A repeated failure: its signature, what it is, how often, in how many sessions, since when. */
public record FailureRow(
    String signature, String tool, String errorClass, String inputShape, long occurrences, long sessions,
    Instant firstSeen, Instant lastSeen, String example) {}
