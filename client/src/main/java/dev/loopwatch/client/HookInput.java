package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a hook's stdin in bounded memory: the JVM has 64 MiB of heap, and a PostToolUse payload can carry
 * a whole file several times over. The bytes stream through a small JSON string scanner that drops the
 * whitespace between tokens and shortens long strings on the fly ({@link Cut}'s mark), so only the
 * shortened text is kept and parsed; the fine fit to the request limit is {@link HookRequest}'s. Strings
 * keep up to the request limit while the output is below it, and less and less after: the output stays
 * under about twice the limit, which keeps the work after the read small.
 *
 * <p>Input that is not one JSON object (or is cut off by the 64 MiB cap, or holds more than four times
 * the limit in structure alone) is sent as raw text instead: its first 64 KiB, marked.
 */
final class HookInput {
  /** Reading stops here; the rest of a larger input is not read. */
  static final long MAX_INPUT_BYTES = 64L << 20;
  private static final int MIN_KEEP = 1024;
  private static final byte[] MARK_PREFIX = Cut.PREFIX.getBytes(StandardCharsets.UTF_8);
  private static final byte[] MARK_SUFFIX = Cut.SUFFIX.getBytes(StandardCharsets.UTF_8);

  private static final int OUTSIDE = 0;
  private static final int STRING = 1;
  private static final int ESCAPE = 2;
  private static final int UNICODE = 3;

  private final Map<String, Object> payload;
  private final String raw;
  private final String event;

  private HookInput(Map<String, Object> payload, String raw, String event) {
    this.payload = payload;
    this.raw = raw;
    this.event = event;
  }

  /** The payload object, or {@code null} when stdin was not one JSON object. */
  Map<String, Object> payload() {
    return payload;
  }

  /** The raw text (when {@link #payload()} is {@code null}), possibly shortened and marked. */
  String raw() {
    return raw;
  }

  /** {@code hook_event_name}, or {@code null} when there is none. */
  String event() {
    return event;
  }

  static HookInput of(Map<String, Object> payload) {
    Object e = payload.get("hook_event_name");
    return new HookInput(payload, null, e instanceof String s ? s : null);
  }

  /** Reads {@code in} to its end (or the cap) for a request of at most {@code maxRequestBytes}. */
  static HookInput read(InputStream in, int maxRequestBytes) throws IOException {
    Scanner s = new Scanner(maxRequestBytes);
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n == 0) {
        continue;
      }
      s.feed(buf, n);
      if (s.overflow) {
        break;
      }
      if (s.total >= MAX_INPUT_BYTES) {
        s.truncated = true;
        break;
      }
    }
    if (!s.overflow && !s.truncated && s.state == OUTSIDE && s.size > 0) {
      try {
        Object v = Json.parse(new String(s.out, 0, s.size, StandardCharsets.UTF_8));
        if (v instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> payload = (Map<String, Object>) v;
          return of(payload);
        }
      } catch (Json.JsonException e) {
        // not JSON: sent as raw text below
      }
    }
    String text = new String(s.prefix, 0, s.prefixSize, StandardCharsets.UTF_8);
    if (s.total > s.prefixSize) {
      long left = s.codePoints - text.codePointCount(0, text.length());
      text = text + Cut.marker(Math.max(1, left));
    }
    return new HookInput(null, text, eventIn(text));
  }

  /** The {@code hook_event_name} of text that is not (complete) JSON, found by a plain scan. */
  static String eventIn(String text) {
    int k = text.indexOf("\"hook_event_name\"");
    if (k < 0) {
      return null;
    }
    k += "\"hook_event_name\"".length();
    while (k < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == ':' || text.charAt(k) == '\t')) {
      k++;
    }
    if (k >= text.length() || text.charAt(k) != '"') {
      return null;
    }
    int end = text.indexOf('"', k + 1);
    return end < 0 ? null : text.substring(k + 1, end);
  }

  /**
   * The streaming part: a state machine over the bytes of JSON text. String contents move in bulk (up to
   * the next quote or backslash), because they are nearly all of a large payload; everything else a byte
   * at a time.
   */
  private static final class Scanner {
    final int maxRequestBytes;
    /** Past half of this much output, strings are kept shorter and shorter. */
    final int budget;
    /** Past this much output (structure, not strings), the input is sent raw. */
    final int hardLimit;
    byte[] out = new byte[16 * 1024];
    int size;
    final byte[] prefix;
    int prefixSize;
    long total;
    long codePoints;
    boolean overflow;
    boolean truncated;

    int state = OUTSIDE;
    int unicodeLeft;
    int stringBytes;
    int keep;
    boolean cutting;
    long cutChars;

    Scanner(int maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      this.budget = 2 * maxRequestBytes;
      this.hardLimit = 4 * maxRequestBytes;
      this.prefix = new byte[Math.min(maxRequestBytes, 64 * 1024)];
    }

    void feed(byte[] b, int n) {
      int room = prefix.length - prefixSize;
      if (room > 0) {
        int c = Math.min(room, n);
        System.arraycopy(b, 0, prefix, prefixSize, c);
        prefixSize += c;
      }
      total += n;
      for (int k = 0; k < n; k++) {
        if ((b[k] & 0xC0) != 0x80) {
          codePoints++;
        }
      }
      int k = 0;
      while (k < n && !overflow) {
        byte c = b[k];
        switch (state) {
          case OUTSIDE -> {
            k++;
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
              emit(c);
              if (c == '"') {
                startString();
              }
            }
          }
          case STRING -> k = cutting ? skip(b, k, n) : copy(b, k, n);
          case ESCAPE -> {
            k++;
            if (c == 'u') {
              state = UNICODE;
              unicodeLeft = 4;
            } else {
              state = STRING;
            }
            if (!cutting) {
              stringByte(c);
            }
          }
          default -> { // UNICODE: four hex digits
            k++;
            if (--unicodeLeft == 0) {
              state = STRING;
            }
            if (!cutting) {
              stringByte(c);
            }
          }
        }
      }
    }

    /** Inside a string being kept: copies up to the next quote, backslash or the keep. */
    private int copy(byte[] b, int k, int n) {
      int limit = (int) Math.min(n, (long) k + Math.max(0, keep - stringBytes));
      int start = k;
      while (k < limit && b[k] != '"' && b[k] != '\\') {
        k++;
      }
      emit(b, start, k - start);
      stringBytes += k - start;
      if (k == n) {
        return k;
      }
      byte c = b[k];
      if (c == '"') {
        endString();
        return k + 1;
      }
      if (stringBytes < keep) { // a backslash: the escape is kept whole
        stringByte(c);
        state = ESCAPE;
        return k + 1;
      }
      if ((c & 0xC0) == 0x80) { // at the keep, inside a UTF-8 sequence: finish it first
        stringByte(c);
        return k + 1;
      }
      cutting = true; // at the keep, between characters: the rest is counted, not kept
      cutChars = 0;
      return k;
    }

    /** Inside a string being cut: counts characters up to the next quote or backslash. */
    private int skip(byte[] b, int k, int n) {
      long chars = cutChars;
      while (k < n) {
        byte c = b[k];
        if (c == '"') {
          cutChars = chars;
          endString();
          return k + 1;
        }
        if (c == '\\') {
          cutChars = chars + 1; // an escape is one character
          state = ESCAPE;
          return k + 1;
        }
        if ((c & 0xC0) != 0x80) {
          chars++;
        }
        k++;
      }
      cutChars = chars;
      return k;
    }

    private void startString() {
      state = STRING;
      stringBytes = 0;
      cutting = false;
      cutChars = 0;
      // The request limit while the output is below it, then less and less.
      keep = size < maxRequestBytes ? maxRequestBytes : Math.max(MIN_KEEP, (budget - size) / 2);
    }

    private void endString() {
      if (cutting) {
        emit(MARK_PREFIX, 0, MARK_PREFIX.length);
        byte[] count = Long.toString(cutChars).getBytes(StandardCharsets.US_ASCII);
        emit(count, 0, count.length);
        emit(MARK_SUFFIX, 0, MARK_SUFFIX.length);
      }
      emit((byte) '"');
      state = OUTSIDE;
      cutting = false;
    }

    private void stringByte(byte c) {
      emit(c);
      stringBytes++;
    }

    private void emit(byte c) {
      if (size == out.length && !grow(1)) {
        return;
      }
      out[size++] = c;
    }

    private void emit(byte[] b, int off, int len) {
      if (size + len > out.length && !grow(len)) {
        return;
      }
      System.arraycopy(b, off, out, size, len);
      size += len;
    }

    private boolean grow(int more) {
      long needed = (long) size + more;
      if (needed > hardLimit) {
        overflow = true;
        return false;
      }
      out = Arrays.copyOf(out, (int) Math.min(hardLimit, Math.max(needed, 2L * out.length)));
      return true;
    }
  }
}
