package dev.loopwatch.daemon.store.query;

import java.util.Locale;

/** How cost rows are grouped ({@code loopwatch cost --by ...}). */
public enum CostGrouping {
  DAY,
  /** ISO weeks, keyed by their Monday. */
  WEEK,
  MONTH,
  SESSION,
  PROJECT,
  MODEL,
  /** Main conversation vs subagents. */
  AGENT;

  /** Parses {@code day|week|month|session|project|model|agent}; {@code null} for anything else. */
  public static CostGrouping parse(String s) {
    for (CostGrouping g : values()) {
      if (g.name().toLowerCase(Locale.ROOT).equals(s)) {
        return g;
      }
    }
    return null;
  }
}
