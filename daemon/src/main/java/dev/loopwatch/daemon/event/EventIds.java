package dev.loopwatch.daemon.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable event ids: a hash of the source identity and the natural key of what was read, so re-reading
 * the same line (after a crash, a rewrite or a rebuild) yields the same id and the store can dedupe.
 */
public final class EventIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventIds() {}

  /** 128 bits of SHA-256 over the parts, separated so that ("ab","c") and ("a","bc") differ. */
  public static String of(String... parts) {
    MessageDigest digest = sha256();
    for (String part : parts) {
      byte[] bytes = (part == null ? "\u0000null" : part).getBytes(StandardCharsets.UTF_8);
      digest.update(bytes);
      digest.update((byte) 0x1f);
    }
    byte[] hash = digest.digest();
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(hash[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[hash[i] & 0xf];
    }
    return new String(out);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
