package dev.loopwatch.daemon.store.query;

import java.util.List;

/** One group of a cost report: its key (a day, a session id, a model, ...), totals and models seen. */
public record CostRow(String key, UsageTotals usage, List<String> models) {
  public CostRow {
    models = List.copyOf(models);
  }
}
