package dev.loopwatch.client;

import dev.loopwatch.protocol.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the hook's request line, {@code {"v":1,"id":…,"op":"hook","args":{"payload":{…}}}} (or
 * {@code "raw"} text), no longer than the daemon accepts: the daemon refuses a larger line whole, and a
 * lost PostToolUse is worse than a shortened one. Long strings are cut (all to the same length, the
 * longest only as much as needed) until the line fits; what the payload is about (event, session, tool,
 * ids: short strings) survives.
 */
final class HookRequest {
  /** Strings are never cut below this; if that is not enough the payload keeps its top-level scalars only. */
  private static final int MIN_KEEP = 32;
  /** What a mark costs, roughly, in the estimate of how far to cut. */
  private static final int MARK_COST = 20;
  private static final int SCALAR_KEEP = 256;

  private HookRequest() {}

  static String line(String id, HookInput input, int maxBytes) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (input.payload() != null) {
      args.put("payload", input.payload());
    } else {
      args.put("raw", input.raw());
    }
    String line = encode(id, args);
    long size = utf8Length(line);
    if (size <= maxBytes) {
      return line;
    }
    int keep = firstKeep(args, size - maxBytes);
    for (int round = 0; round < 40 && keep >= MIN_KEEP; round++) {
      line = encode(id, cutStrings(args, keep));
      if (utf8Length(line) <= maxBytes) {
        return line;
      }
      keep = keep * 3 / 4;
    }
    // All structure and no long strings (a huge list of small items): keep what identifies the event.
    Map<String, Object> small = new LinkedHashMap<>();
    Object body = args.values().iterator().next();
    if (body instanceof Map<?, ?> m) {
      Map<String, Object> scalars = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object v = e.getValue();
        if (!(v instanceof Map) && !(v instanceof List)) {
          scalars.put(String.valueOf(e.getKey()), v instanceof String s ? Cut.cut(s, SCALAR_KEEP) : v);
        }
      }
      small.put("payload", scalars);
    } else {
      small.put("raw", Cut.cut(String.valueOf(body), MIN_KEEP));
    }
    line = encode(id, small);
    if (utf8Length(line) <= maxBytes) {
      return line;
    }
    // A limit too small for any of that: the event's name alone.
    Map<String, Object> event = new LinkedHashMap<>();
    if (input.event() != null) {
      event.put("hook_event_name", Cut.cut(input.event(), MIN_KEEP));
    }
    Map<String, Object> least = new LinkedHashMap<>();
    least.put("payload", event);
    return encode(id, least);
  }

  private static String encode(String id, Map<String, Object> args) {
    return Request.of(id, "hook", args).encode();
  }

  /**
   * The longest keep that removes at least {@code excess} chars: all strings longer than it are cut to it.
   * An estimate (escapes and non-ASCII make bytes differ from chars); the caller checks and cuts further.
   */
  private static int firstKeep(Object tree, long excess) {
    List<Integer> lengths = new ArrayList<>();
    collectLengths(tree, lengths);
    if (lengths.isEmpty()) {
      return MIN_KEEP;
    }
    int[] sorted = new int[lengths.size()];
    for (int k = 0; k < sorted.length; k++) {
      sorted[k] = lengths.get(k);
    }
    Arrays.sort(sorted);
    int lo = MIN_KEEP;
    int hi = sorted[sorted.length - 1];
    if (removed(sorted, lo) < excess) {
      return MIN_KEEP;
    }
    while (lo < hi) { // largest keep with removed(keep) >= excess
      int mid = lo + (hi - lo + 1) / 2;
      if (removed(sorted, mid) >= excess) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static long removed(int[] sorted, int keep) {
    long sum = 0;
    for (int k = sorted.length - 1; k >= 0 && sorted[k] > keep; k--) {
      sum += sorted[k] - keep - MARK_COST;
    }
    return sum;
  }

  private static void collectLengths(Object v, List<Integer> out) {
    if (v instanceof String s) {
      out.add(s.length());
    } else if (v instanceof Map<?, ?> m) {
      for (Object x : m.values()) {
        collectLengths(x, out);
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        collectLengths(x, out);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cutStrings(T v, int keep) {
    if (v instanceof String s) {
      return (T) Cut.cut(s, keep);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        copy.put(String.valueOf(e.getKey()), cutStrings(e.getValue(), keep));
      }
      return (T) copy;
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object x : l) {
        copy.add(cutStrings(x, keep));
      }
      return (T) copy;
    }
    return v;
  }

  /** The UTF-8 length of {@code s} as {@link String#getBytes} would encode it, without the copy. */
  static long utf8Length(String s) {
    long n = 0;
    int len = s.length();
    for (int k = 0; k < len; k++) {
      char c = s.charAt(k);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && k + 1 < len && Character.isLowSurrogate(s.charAt(k + 1))) {
        n += 4;
        k++;
      } else if (Character.isSurrogate(c)) {
        n++; // a lone surrogate becomes '?'
      } else {
        n += 3;
      }
    }
    return n;
  }
}
