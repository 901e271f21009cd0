package dev.loopwatch.daemon.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Content hashes that tell whether the bytes at a checkpoint are still the bytes that were read. */
final class Fingerprints {
  /** The head fingerprint covers at most this many bytes (Filebeat's default too). */
  static final int HEAD_BYTES = 1024;
  /** The mark covers this many bytes before the offset (Fluent Bit's "offset marker" idea, doubled). */
  static final int MARK_BYTES = 64;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Fingerprints() {}

  /** Hash of bytes [from, to) of the file, or {@code null} when the file is shorter than {@code to}. */
  static String range(FileChannel ch, long from, long to) throws IOException {
    int len = (int) (to - from);
    ByteBuffer buf = ByteBuffer.allocate(len);
    long pos = from;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        return null;
      }
      pos += n;
    }
    return hash(buf.array(), 0, len);
  }

  static String head(FileChannel ch, int headLen) throws IOException {
    return range(ch, 0, headLen);
  }

  static String mark(FileChannel ch, long offset) throws IOException {
    return range(ch, Math.max(0, offset - MARK_BYTES), offset);
  }

  /** 128 bits of SHA-256, hex: collisions are not a practical concern for a few thousand files. */
  static String hash(byte[] bytes, int off, int len) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    md.update(bytes, off, len);
    byte[] d = md.digest();
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }
}
