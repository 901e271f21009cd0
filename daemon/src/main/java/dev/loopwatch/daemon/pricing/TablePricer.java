package dev.loopwatch.daemon.pricing;

import dev.loopwatch.daemon.store.query.Pricer;
import java.math.BigDecimal;
import java.util.function.Supplier;

/** Prices with the current {@link PriceTable} (the supplier sees a reloaded table at once). */
public final class TablePricer implements Pricer {
  private final Supplier<PriceTable> table;

  public TablePricer(Supplier<PriceTable> table) {
    this.table = table;
  }

  @Override
  public TierSplit splitFor(String model) {
    return table.get().splitFor(model);
  }

  @Override
  public BigDecimal cost(String model, String speed, TokenSums sums) {
    PriceTable t = table.get();
    if (t.lookup(model).isEmpty()) {
      return sums.isZero() ? BigDecimal.ZERO : null;
    }
    return new CostCalculator(t).cost(model, speed, sums);
  }
}
