package dev.loopwatch.daemon.pricing;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cost of an aggregation. Models without a price add $0 to {@code total} and are listed in
 * {@code unknownModels}, so a report can say its total is a lower bound instead of silently
 * under-counting.
 *
 * @param total exact USD
 * @param byModel exact USD per model id as the logs spell it (unknown models at 0), sorted by id
 * @param unknownModels models that had tokens but no price, sorted
 */
public record Priced(BigDecimal total, SortedMap<String, BigDecimal> byModel, SortedSet<String> unknownModels) {

  /** How {@code byModel} and {@code unknownModels} name usage whose log gave no model. */
  public static final String NO_MODEL = "(no model)";

  public Priced {
    Objects.requireNonNull(total, "total");
    byModel = Collections.unmodifiableSortedMap(new TreeMap<>(byModel));
    unknownModels = Collections.unmodifiableSortedSet(new TreeSet<>(unknownModels));
  }

  /** Whether every model was priced. */
  public boolean complete() {
    return unknownModels.isEmpty();
  }
}
