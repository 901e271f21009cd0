package dev.loopwatch.daemon.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Splits a file into complete lines from a byte offset, with bounded memory. A line without its
 * {@code \n} yet is not delivered (the writer may still be writing it): reading stops at its start and
 * resumes there next time. A line longer than the cap is skipped without being held in memory and
 * reported with its first bytes. One instance per thread: it reuses its buffer.
 */
final class LineReader {
  /** Receives lines; the buffer is only valid during the call. */
  interface Handler {
    /**
     * A complete line without its newline.
     *
     * @param pos file offset of the line's first byte
     * @param next file offset just after its newline
     * @return false to stop reading after this line
     */
    boolean line(byte[] buf, int off, int len, long pos, long next) throws IOException;

    /** A line longer than the cap, skipped; {@code head} holds its first bytes. */
    boolean oversize(long pos, long length, byte[] head, int headLen) throws IOException;
  }

  private static final int INITIAL_BUFFER = 256 << 10;
  private static final int KEEP_BUFFER = 4 << 20;

  private final int maxLineBytes;
  private byte[] buf = new byte[INITIAL_BUFFER];

  LineReader(long maxLineBytes) {
    this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxLineBytes);
  }

  /**
   * Reads lines starting at {@code from} (a line start) until EOF, until the handler says stop, or until
   * at least {@code budget} bytes were consumed. Returns the offset after the last line delivered (or
   * skipped): where the next read must start.
   */
  long read(FileChannel ch, long from, long budget, Handler handler) throws IOException {
    long lineStart = from;
    long filePos = from;
    int bufStart = 0;
    int bufEnd = 0;
    int scan = 0;
    boolean skipping = false;
    byte[] skipHead = null;
    int skipHeadLen = 0;
    try {
      while (true) {
        int nl = indexOfNewline(buf, scan, bufEnd);
        if (nl >= 0) {
          long next = filePos - (bufEnd - nl) + 1;
          boolean go;
          if (skipping) {
            go = handler.oversize(lineStart, next - 1 - lineStart, skipHead, skipHeadLen);
            skipping = false;
          } else if (nl - bufStart > maxLineBytes) {
            int headLen = Math.min(nl - bufStart, DeadLetters.HEAD_BYTES);
            go = handler.oversize(lineStart, nl - bufStart, Arrays.copyOfRange(buf, bufStart, bufStart + headLen), headLen);
          } else {
            go = handler.line(buf, bufStart, nl - bufStart, lineStart, next);
          }
          lineStart = next;
          bufStart = nl + 1;
          scan = bufStart;
          if (!go || lineStart - from >= budget) {
            return lineStart;
          }
          continue;
        }
        scan = bufEnd;
        if (skipping) {
          bufStart = bufEnd = scan = 0; // the long line's bytes are not kept
        } else {
          if (bufStart > 0) {
            System.arraycopy(buf, bufStart, buf, 0, bufEnd - bufStart);
            bufEnd -= bufStart;
            scan -= bufStart;
            bufStart = 0;
          }
          if (bufEnd == buf.length) {
            if (bufEnd > maxLineBytes) {
              // Past the cap without a newline: remember the head, then stream past the rest.
              skipping = true;
              skipHeadLen = Math.min(bufEnd, DeadLetters.HEAD_BYTES);
              skipHead = Arrays.copyOf(buf, skipHeadLen);
              bufStart = bufEnd = scan = 0;
            } else {
              buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLineBytes + 1L));
            }
          }
        }
        int n = ch.read(ByteBuffer.wrap(buf, bufEnd, buf.length - bufEnd), filePos);
        if (n <= 0) {
          return lineStart; // EOF: an unfinished last line stays unread
        }
        filePos += n;
        bufEnd += n;
      }
    } finally {
      if (buf.length > KEEP_BUFFER) {
        buf = new byte[INITIAL_BUFFER]; // don't hold 16 MiB per worker after one huge line
      }
    }
  }

  private static int indexOfNewline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
