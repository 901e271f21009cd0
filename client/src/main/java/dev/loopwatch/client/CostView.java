package dev.loopwatch.client;

import java.util.List;
import java.util.Locale;

/** {@code loopwatch cost}: one row per group (day, week, …), a totals row, and the models not priced. */
final class CostView {
  private CostView() {}

  static String render(Object r) {
    String by = Fields.str(r, "groupBy");
    by = by == null || by.isEmpty() ? "day" : by;
    StringBuilder sb = new StringBuilder("Cost by ").append(by);
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
    if (rows.isEmpty()) {
      return sb.append("no usage\n").append(Views.notPriced(r)).toString();
    }
    boolean modelsColumn = !by.equals("model");
    Table t = Views.usageColumns(new Table().text(by.toUpperCase(Locale.ROOT)));
    if (modelsColumn) {
      t.text("MODELS");
    }
    for (Object row : rows) {
      String key = Fields.str(row, by);
      String[] cells = Views.concat(new String[] {Formats.orNone(key != null ? key : Fields.str(row, "key"))}, Views.usageCells(row));
      t.row(modelsColumn ? Views.concat(cells, Formats.clip(Views.names(Fields.list(row, "models"), "model", "key", "name"), 60)) : cells);
    }
    t.rule();
    String[] totals = Views.concat(new String[] {"TOTAL"}, Views.usageCells(Fields.get(r, "totals")));
    t.row(modelsColumn ? Views.concat(totals, "") : totals);
    return sb.append(t.render()).append(Views.notPriced(r)).toString();
  }
}
