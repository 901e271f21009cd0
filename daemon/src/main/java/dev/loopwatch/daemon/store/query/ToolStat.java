package dev.loopwatch.daemon.store.query;

/**
 * A tool's record: calls, failures (rejections apart), success rate among answered calls, and
 * effectiveness = success rate × log2(calls) (DESIGN §8), which favours tools that work and are used.
 */
public record ToolStat(
    String tool, long calls, long failures, long rejections, double successRate, double effectiveness,
    Double avgDurationMs) {}
