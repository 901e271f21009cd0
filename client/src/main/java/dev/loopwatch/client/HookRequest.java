package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.Request;
import java.math.BigDecimal;
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
    long size = size(envelope(id, args));
    if (size <= maxBytes) {
      return encode(id, args);
    }
    String fitted = cutToFit(id, args, size, maxBytes);
    if (fitted != null) {
      return fitted;
    }
    String line;
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

  /**
   * Finds the keep (one length all longer strings are cut to) whose line is just under the limit. The
   * line's size grows about linearly with the keep, so each try interpolates between the closest keep
   * known to fit and the closest known not to: two or three encodings, not a halving search.
   */
  private static String cutToFit(String id, Map<String, Object> args, long fullSize, int maxBytes) {
    int longest = longest(args);
    long target = maxBytes - maxBytes / 100; // aim a little under: one try less
    int fitKeep = 0;
    long fitSize = 0;
    Map<String, Object> best = null;
    int overKeep = longest;
    long overSize = fullSize;
    int keep = Math.max(MIN_KEEP, Math.min(longest - 1, firstKeep(args, fullSize - target)));
    for (int round = 0; round < 16; round++) {
      Map<String, Object> cut = cutStrings(args, keep);
      long size = size(envelope(id, cut));
      if (size <= maxBytes) {
        best = cut;
        fitKeep = keep;
        fitSize = size;
        if (size >= target) {
          break;
        }
      } else {
        overKeep = keep;
        overSize = size;
      }
      int next;
      if (best != null) {
        next = fitKeep + (int) ((target - fitSize) * (overKeep - fitKeep) / Math.max(1, overSize - fitSize));
      } else if (keep <= MIN_KEEP) {
        return null; // even the shortest keep is too long: not a matter of long strings
      } else {
        next = (int) Math.max(MIN_KEEP, keep * target / size);
      }
      next = Math.min(Math.max(next, best != null ? fitKeep + 1 : MIN_KEEP), overKeep - 1);
      if (next == keep || (best != null && next <= fitKeep) || next >= overKeep) {
        break;
      }
      keep = next;
    }
    if (best == null) {
      return null;
    }
    String line = encode(id, best);
    return utf8Length(line) <= maxBytes ? line : null; // size() and the encoder disagree: never send too much
  }

  private static int longest(Object v) {
    if (v instanceof String s) {
      return s.length();
    }
    int max = 0;
    if (v instanceof Map<?, ?> m) {
      for (Object x : m.values()) {
        max = Math.max(max, longest(x));
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        max = Math.max(max, longest(x));
      }
    }
    return max;
  }

  private static String encode(String id, Map<String, Object> args) {
    return Request.of(id, "hook", args).encode();
  }

  /** The request as {@link Request#encode} lays it out, to be measured without being written. */
  private static Map<String, Object> envelope(String id, Map<String, Object> args) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", Protocol.VERSION);
    m.put("id", id);
    m.put("op", "hook");
    m.put("args", args);
    return m;
  }

  /**
   * The UTF-8 length of {@code Json.write(v)}, counted without writing it: a few passes over a 2 MiB
   * payload cost far less than as many encodings.
   */
  static long size(Object v) {
    if (v == null) {
      return 4;
    }
    if (v instanceof String s) {
      return stringSize(s);
    }
    if (v instanceof Map<?, ?> m) {
      long n = 2 + Math.max(0, m.size() - 1);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n += stringSize(String.valueOf(e.getKey())) + 1 + size(e.getValue());
      }
      return n;
    }
    if (v instanceof List<?> l) {
      long n = 2 + Math.max(0, l.size() - 1);
      for (Object x : l) {
        n += size(x);
      }
      return n;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
      return v.toString().length();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString().length();
    }
    return utf8Length(Json.write(v));
  }

  private static long stringSize(String s) {
    long n = 2;
    int len = s.length();
    for (int k = 0; k < len; k++) {
      char c = s.charAt(k);
      if (c >= 0x20 && c < 0x80) {
        n += c == '"' || c == '\\' ? 2 : 1;
      } else if (c < 0x20) {
        n += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
      } else if (c < 0x800) {
        n += 2;
      } else if (c == 0x2028 || c == 0x2029) {
        n += 6;
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
