package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Picks the human rendering of an op's result; the small ones live here. */
final class Views {
  private Views() {}

  static String render(String op, Object result, ZoneId zone) {
    return view(op, result, zone) + backfillNote(result);
  }

  private static String view(String op, Object result, ZoneId zone) {
    return switch (op) {
      case "ping" -> ping(result);
      case "status" -> StatusView.render(result, zone);
      case "sessions" -> SessionsView.render(result, zone);
      case "session" -> SessionView.render(result, zone);
      case "cost" -> CostView.render(result);
      case "tools" -> ToolsView.render(result);
      case "failures" -> FailuresView.render(result, zone);
      case "files" -> FilesView.render(result, zone);
      case "rebuild" -> rebuild(result);
      default -> Json.pretty(result) + "\n";
    };
  }

  static String ping(Object r) {
    return "pong from loopwatchd " + Formats.orNone(Fields.str(r, "version")) + " (protocol "
        + Formats.orNone(Fields.str(r, "protocol")) + ", pid " + Formats.orNone(Fields.str(r, "pid")) + ")\n";
  }

  static String rebuild(Object r) {
    return "rebuilt the store: " + Formats.count(Fields.num(r, "events")) + " events replayed in "
        + Formats.duration(Fields.num(r, "ms")) + "\n";
  }

  /** The seven usage cells: input, output, cache write, cache read, total tokens, cost, requests. */
  static String[] usageCells(Object usage) {
    return new String[] {
      Formats.count(Fields.num(usage, "inputTokens")),
      Formats.count(Fields.num(usage, "outputTokens")),
      Formats.count(Fields.num(usage, "cacheCreationTokens")),
      Formats.count(Fields.num(usage, "cacheReadTokens")),
      Formats.count(Fields.num(usage, "totalTokens")),
      Formats.money(Fields.dec(usage, "totalCost")),
      Formats.count(Fields.num(usage, "requests"))
    };
  }

  /** Adds the usage columns to {@code t} (after its leading columns). */
  static Table usageColumns(Table t) {
    return t.num("INPUT").num("OUTPUT").num("CACHE WRITE").num("CACHE READ").num("TOTAL TOKENS").num("COST").num("REQUESTS");
  }

  static String[] concat(String[] a, String... b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** A field that is a count, or a list whose size is the count. */
  static Number countOf(Object node, String key) {
    Object v = Fields.get(node, key);
    if (v instanceof List<?> l) {
      return l.size();
    }
    return v instanceof Number n ? n : null;
  }

  /** Names of a list of strings or objects, joined by ", ". */
  static String names(List<Object> items, String... keys) {
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      String n = Fields.name(item, keys);
      if (n != null) {
        out.add(n);
      }
    }
    return String.join(", ", out);
  }

  /**
   * A line saying that the answer is not complete yet, when the daemon says its store still lacks part of
   * the history (it is reading it for the first time, or rebuilding), else nothing.
   */
  static String backfillNote(Object result) {
    Object b = Fields.get(result, "backfill");
    if (b == null) {
      return "";
    }
    Number files = Fields.num(b, "filesToRead");
    Number documents = Fields.num(b, "documentsToProject");
    String left = (files == null || files.longValue() == 0) && (documents == null || documents.longValue() == 0)
        ? "" // it is still listing the files
        : " (" + Formats.count(files) + " files to read, " + Formats.count(documents) + " journal documents to store)";
    return "not complete yet: the daemon is still reading your history" + left + "\n";
  }

  /** "not priced: a, b" when the result lists models without a price, else nothing. */
  static String notPriced(Object result) {
    List<Object> unknown = Fields.list(result, "unknownModels");
    return unknown.isEmpty() ? "" : "not priced: " + names(unknown, "model", "key", "name") + "\n";
  }
}
