package dev.loopwatch.daemon.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.loopwatch.daemon.event.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The exactly-once checker. Counts journaled events per test line, identified by a {@link Line} key
 * (the stream the test wrote it to, its number in that stream), in journal order, and compares them with
 * what was written: lost, duplicated, reordered and unexpected lines, and event ids seen twice.
 *
 * <p>Two modes: {@link #perLine} (each line yields exactly one event: generic JSONL, where the key is
 * the line's {@code f} and {@code n} attributes) and {@link #perId} (a line may yield several events,
 * each with its own stable id: transcripts, keyed by the line's {@code uuid}).
 */
final class Tally implements Consumer<Event> {
  /** A test line: the stream (file generation) it was written to and its number there, from 0. */
  record Line(String stream, int n) {}

  private static final class Stream {
    final BitSet seen = new BitSet();
    int last = -1;
    long events;
    long duplicateLines;
    long duplicateSameId;
    long reordered;
    final List<String> examples = new ArrayList<>();
  }

  private final Function<Event, Line> key;
  private final boolean onePerLine;
  private final Map<String, Stream> streams = new HashMap<>();
  private final Set<String> ids = new HashSet<>();
  private long events;
  private long foreign;
  private long duplicateIds;
  private final List<String> foreignExamples = new ArrayList<>();

  private Tally(Function<Event, Line> key, boolean onePerLine) {
    this.key = key;
    this.onePerLine = onePerLine;
  }

  /** Generic lines {@code {"f":stream,"n":n,...}}: exactly one RAW event each, with attrs f and n. */
  static Tally perLine() {
    return new Tally(Tally::genericKey, true);
  }

  /** Lines that may yield several events, all with the line's key (e.g. transcript {@code uuid}). */
  static Tally perId(Function<Event, Line> key) {
    return new Tally(key, false);
  }

  static Line genericKey(Event e) {
    String f = e.attr("f");
    String n = e.attr("n");
    if (f == null || n == null) {
      return null;
    }
    try {
      return new Line(f, Integer.parseInt(n));
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  @Override
  public synchronized void accept(Event e) {
    events++;
    boolean newId = ids.add(e.id());
    if (!newId) {
      duplicateIds++;
    }
    Line line = key.apply(e);
    if (line == null) {
      foreign++;
      if (foreignExamples.size() < 5) {
        foreignExamples.add(e.kind() + " " + e.source() + " " + e.attrs().keySet());
      }
      return;
    }
    Stream s = streams.computeIfAbsent(line.stream(), k -> new Stream());
    s.events++;
    int n = line.n();
    if (s.seen.get(n)) {
      if (onePerLine || !newId) {
        s.duplicateLines++;
        if (!newId) {
          s.duplicateSameId++;
        }
        example(s, "duplicate " + n + (newId ? " (new event id)" : " (same event id)"));
      } else if (n != s.last) {
        s.reordered++;
        example(s, "event of line " + n + " after line " + s.last);
      }
      return;
    }
    if (n < s.last) {
      s.reordered++;
      example(s, "line " + n + " after line " + s.last);
    }
    s.seen.set(n);
    s.last = Math.max(s.last, n);
  }

  private static void example(Stream s, String what) {
    if (s.examples.size() < 5) {
      s.examples.add(what);
    }
  }

  synchronized long events() {
    return events;
  }

  /** Distinct lines of {@code stream} seen so far. */
  synchronized int lines(String stream) {
    Stream s = streams.get(stream);
    return s == null ? 0 : s.seen.cardinality();
  }

  /** Distinct lines seen so far, over all streams. */
  synchronized long lines() {
    long n = 0;
    for (Stream s : streams.values()) {
      n += s.seen.cardinality();
    }
    return n;
  }

  /** Whether every line of {@code expected} (stream → number of complete lines written) was seen. */
  synchronized boolean covers(Map<String, Integer> expected) {
    for (Map.Entry<String, Integer> x : expected.entrySet()) {
      Stream s = streams.get(x.getKey());
      int want = x.getValue();
      if (want > 0 && (s == null || s.seen.nextClearBit(0) < want)) {
        return false;
      }
    }
    return true;
  }

  /** The outcome against {@code expected}: lost, duplicated, reordered and unexpected lines. */
  synchronized Report report(Map<String, Integer> expected) {
    long written = 0;
    long lost = 0;
    long dup = 0;
    long dupSameId = 0;
    long reordered = 0;
    long unexpected = 0;
    Map<String, String> details = new TreeMap<>();
    for (Map.Entry<String, Integer> x : expected.entrySet()) {
      int want = x.getValue();
      written += want;
      Stream s = streams.get(x.getKey());
      BitSet seen = s == null ? new BitSet() : s.seen;
      int have = seen.get(0, want).cardinality();
      lost += want - have;
      int extra = seen.cardinality() - have;
      unexpected += extra;
      List<String> d = new ArrayList<>();
      if (have < want) {
        d.add("missing " + ranges(seen, want));
      }
      if (extra > 0) {
        d.add(extra + " lines beyond the " + want + " written (first " + seen.nextSetBit(want) + ")");
      }
      if (s != null) {
        dup += s.duplicateLines;
        dupSameId += s.duplicateSameId;
        reordered += s.reordered;
        d.addAll(s.examples);
      }
      if (!d.isEmpty() && details.size() < 20) {
        details.put(x.getKey(), String.join("; ", d));
      }
    }
    for (Map.Entry<String, Stream> s : streams.entrySet()) {
      if (!expected.containsKey(s.getKey())) {
        unexpected += s.getValue().seen.cardinality();
        dup += s.getValue().duplicateLines;
        details.put(s.getKey(), "never written: " + s.getValue().seen.cardinality() + " lines");
      }
    }
    return new Report(written, events, lost, dup, dupSameId, reordered, unexpected, foreign, duplicateIds,
        details, List.copyOf(foreignExamples));
  }

  /** Fails, with the counts and examples, unless every written line is there exactly once, in order. */
  void assertExactlyOnce(Map<String, Integer> expected, String what) {
    Report r = report(expected);
    System.out.println("[tally] " + what + ": " + r.summary());
    if (!r.exactlyOnce()) {
      fail(what + ": " + r.summary() + "\n  " + String.join("\n  ", r.detailLines()));
    }
  }

  private static String ranges(BitSet seen, int want) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = seen.nextClearBit(0); i < want && shown < 5; i = seen.nextClearBit(i)) {
      int end = Math.min(want, seen.nextSetBit(i) < 0 ? want : seen.nextSetBit(i));
      sb.append(shown++ > 0 ? "," : "").append(i).append(end - 1 > i ? ".." + (end - 1) : "");
      i = end;
    }
    return sb.toString();
  }

  /** What the journal held compared with what was written. */
  record Report(
      long written,
      long events,
      long lost,
      long duplicated,
      long duplicatedSameId,
      long reordered,
      long unexpected,
      long foreign,
      long duplicateIds,
      Map<String, String> details,
      List<String> foreignExamples) {

    boolean exactlyOnce() {
      return lost == 0 && duplicated == 0 && reordered == 0 && unexpected == 0 && duplicateIds == 0 && foreign == 0;
    }

    String summary() {
      return String.format(
          "written=%d events=%d lost=%d duplicated=%d (same event id: %d) reordered=%d unexpected=%d"
              + " duplicateEventIds=%d otherEvents=%d",
          written, events, lost, duplicated, duplicatedSameId, reordered, unexpected, duplicateIds, foreign);
    }

    List<String> detailLines() {
      List<String> out = new ArrayList<>();
      details.forEach((k, v) -> out.add(k + ": " + v));
      if (!foreignExamples.isEmpty()) {
        out.add("other events: " + foreignExamples);
      }
      return out;
    }
  }
}
