package dev.loopwatch.daemon.store.query;

import java.util.List;

/**
 * The answer to a {@link CostQuery}. {@code unknownModels} lists models that have usage but no price:
 * their tokens are counted, their cost is not (and the caller must say so).
 */
public record CostReport(
    String groupBy, String timezone, String since, String until, UsageTotals totals, List<CostRow> rows,
    List<String> unknownModels) {
  public CostReport {
    rows = List.copyOf(rows);
    unknownModels = List.copyOf(unknownModels);
  }
}
