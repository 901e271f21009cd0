package dev.loopwatch.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * All randomness of the corpus generator: numbers, ids in Claude Code's shapes, and text.
 *
 * <p>One seeded {@link SplittableRandom}, used in a fixed order by a single thread, makes the corpus
 * byte-for-byte reproducible for a seed. Tool outputs are slices of one pre-built text pool, so
 * multi-megabyte outputs cost a copy rather than a random draw per character.
 */
final class Synth {

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** Always three fraction digits, like Claude Code (ISO_INSTANT would drop ".000"). */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final String[] WORDS = (
      "the a to of and in is that for it with as on this be we by not are from or at an use can "
          + "file test session parser event queue journal offset line token cache usage model request "
          + "response error result value config path state index record buffer stream reader writer "
          + "update check build run fix add remove return handle need should will let now then first "
          + "function method class module service daemon worker thread lock retry timeout commit branch")
      .split(" ");

  /**
   * Fragments that tool output really contains and that a JSON writer must escape or encode:
   * quotes, backslashes, tabs, ANSI colour codes, box drawing, accents, CJK and astral-plane emoji.
   */
  private static final String[] OUTPUT_BITS = {
    "    at dev.loopwatch.daemon.ingest.Tailer.poll(Tailer.java:142)",
    "\tat java.base/java.lang.Thread.run(Thread.java:840)",
    "ERROR [main] \"unexpected token\" at C:\\Users\\dev\\repo\\src\\main.rs:12",
    "\u001b[32m✓\u001b[0m passed  \u001b[31m✗\u001b[0m failed",
    "     │  ├── src/   └── test/  → résumé naïve café",
    "{\"key\": \"value\", \"n\": 42, \"nested\": {\"ok\": true}}",
    "regex: ^\\s*(\\w+)\\s*=\\s*\"([^\"]*)\"$",
    "日本語のテキスト 🚀 done ✨ 👍",
    "warning: unused variable `x` --> src/lib.rs:10:9",
    "drwxr-xr-x  5 dev dev 4096 Feb 12 16:02 node_modules",
  };

  /** In a lean corpus, tool-output text is cut to this many characters: the history stays, the bytes go. */
  static final int LEAN_OUTPUT_CHARS = 100;

  private final SplittableRandom rng;
  private final String pool;
  private final boolean lean;
  /** Characters of tool output left out so far because the corpus is lean. */
  private long leanSaved;

  Synth(long seed, int poolChars) {
    this(seed, poolChars, false);
  }

  /** @param lean cut tool outputs to {@link #LEAN_OUTPUT_CHARS} (everything else as usual) */
  Synth(long seed, int poolChars, boolean lean) {
    this.rng = new SplittableRandom(seed);
    this.pool = buildPool(poolChars);
    this.lean = lean;
  }

  /** Characters of tool output a lean corpus has left out so far (0 for a normal one). */
  long leanSaved() {
    return leanSaved;
  }

  // ---- numbers

  int between(int lo, int hiInclusive) {
    return rng.nextInt(lo, hiInclusive + 1);
  }

  long between(long lo, long hiInclusive) {
    return rng.nextLong(lo, hiInclusive + 1);
  }

  /** Log-uniform: as many values between 1 KB and 10 KB as between 10 KB and 100 KB. */
  long logUniform(long lo, long hi) {
    return Math.round(Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo))));
  }

  boolean chance(double p) {
    return rng.nextDouble() < p;
  }

  @SafeVarargs
  final <T> T pick(T... options) {
    return options[rng.nextInt(options.length)];
  }

  // ---- ids

  String uuid() {
    long hi = (rng.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return hex(hi >>> 32, 8) + '-' + hex(hi >>> 16, 4) + '-' + hex(hi, 4) + '-' + hex(lo >>> 48, 4) + '-'
        + hex(lo, 12);
  }

  String messageId() {
    return "msg_01" + base62(22);
  }

  String requestId() {
    return "req_011C" + base62(20);
  }

  String toolUseId() {
    return "toolu_01" + base62(22);
  }

  String hex(int digits) {
    StringBuilder sb = new StringBuilder(digits + 16);
    while (sb.length() < digits) {
      sb.append(hex(rng.nextLong(), 16)); // a long has 16 hex digits; draw as many as needed
    }
    return sb.substring(0, digits);
  }

  private String base62(int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = BASE62.charAt(rng.nextInt(BASE62.length()));
    }
    return new String(out);
  }

  private static String hex(long v, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(out);
  }

  static String timestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  // ---- text

  /** Short natural-ish text (prompts, assistant text, thinking), built word by word. */
  String prose(int approxChars) {
    StringBuilder sb = new StringBuilder(approxChars + 16);
    while (sb.length() < approxChars) {
      sb.append(WORDS[rng.nextInt(WORDS.length)]);
      int r = rng.nextInt(40);
      sb.append(r == 0 ? ".\n\n" : r < 3 ? ". " : r == 3 ? ", " : r == 4 ? " `code` " : " ");
    }
    return sb.toString();
  }

  /**
   * Tool-output-like text of about {@code chars} characters: a slice of the pool, or several for big outputs.
   * A lean corpus writes at most {@link #LEAN_OUTPUT_CHARS} of them and counts the rest in {@link #leanSaved}.
   */
  String output(int chars) {
    if (lean && chars > LEAN_OUTPUT_CHARS) {
      leanSaved += chars - LEAN_OUTPUT_CHARS;
      chars = LEAN_OUTPUT_CHARS;
    }
    StringBuilder sb = new StringBuilder(chars + 64);
    while (sb.length() < chars) {
      int len = Math.min(chars - sb.length(), pool.length() / 2);
      int start = rng.nextInt(pool.length() - len);
      int end = start + len;
      // Never cut a surrogate pair in half: a lone surrogate is not valid UTF-8.
      if (Character.isLowSurrogate(pool.charAt(start))) {
        start++;
      }
      if (end < pool.length() && Character.isLowSurrogate(pool.charAt(end))) {
        end++;
      }
      sb.append(pool, start, end);
    }
    return sb.toString();
  }

  private String buildPool(int chars) {
    StringBuilder sb = new StringBuilder(chars + 200);
    int lineNo = 1;
    while (sb.length() < chars) {
      int r = rng.nextInt(10);
      if (r < 2) {
        sb.append(OUTPUT_BITS[rng.nextInt(OUTPUT_BITS.length)]);
      } else {
        sb.append("  ".repeat(rng.nextInt(4)));
        int words = between(2, 14);
        for (int i = 0; i < words; i++) {
          sb.append(WORDS[rng.nextInt(WORDS.length)]).append(i % 5 == 4 ? "(); " : " ");
        }
        sb.append("// ").append(lineNo);
      }
      sb.append('\n');
      lineNo++;
    }
    return sb.toString();
  }
}
