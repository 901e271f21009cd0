package dev.loopwatch.client;

import java.util.List;
import java.util.Locale;

/**
 * {@code loopwatch cost}: one row per group (day, week, …), a totals row, and the models not priced. The
 * daemon's default grouping, {@code total}, has no rows: the totals row alone.
 */
final class CostView {
  private CostView() {}

  static String render(Object r) {
    String by = Fields.str(r, "groupBy");
    by = by == null || by.isEmpty() ? "total" : by;
    boolean grouped = !by.equals("total"); // "total": no grouping, the totals are the answer
    StringBuilder sb = new StringBuilder(grouped ? "Cost by " + by : "Cost");
    String tz = Fields.str(r, "timezone");
    if (tz != null) {
      sb.append(", ").append(tz);
    }
    String since = Fields.str(r, "since");
    String until = Fields.str(r, "until");
    if (since != null) {
      sb.append(", since ").append(since);
    }
    if (until != null) {
      sb.append(", until ").append(until);
    }
    sb.append('\n');
    List<Object> rows = Fields.list(r, "rows");
    Object totals = Fields.get(r, "totals");
    Number tokens = Fields.num(totals, "totalTokens");
    if (rows.isEmpty() && (tokens == null || tokens.longValue() == 0)) {
      return sb.append("no usage\n").append(Views.notPriced(r)).toString();
    }
    boolean modelsColumn = !rows.isEmpty() && !by.equals("model");
    Table t = Views.usageColumns(new Table().text(grouped ? by.toUpperCase(Locale.ROOT) : ""));
    if (modelsColumn) {
      t.text("MODELS");
    }
    for (Object row : rows) {
      String key = Fields.str(row, by);
      String[] cells = Views.concat(new String[] {Formats.orNone(key != null ? key : Fields.str(row, "key"))}, Views.usageCells(row));
      t.row(modelsColumn ? Views.concat(cells, Formats.clip(Views.names(Fields.list(row, "models"), "model", "key", "name"), 60)) : cells);
    }
    if (!rows.isEmpty()) {
      t.rule();
    }
    String[] total = Views.concat(new String[] {"TOTAL"}, Views.usageCells(totals));
    t.row(modelsColumn ? Views.concat(total, "") : total);
    return sb.append(t.render()).append(Views.notPriced(r)).toString();
  }
}
