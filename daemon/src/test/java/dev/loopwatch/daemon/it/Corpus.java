package dev.loopwatch.daemon.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test lines and corpora, and the ledger of what was written (stream → number of complete lines, numbered
 * from 0). A generic line is {@code {"f":"<stream>","n":<n>,"pad":"xx…"}}: the daemon journals it as one
 * RAW event with attributes {@code f} and {@code n}. A stream is one file generation: a rotated file's
 * successor gets a new stream name, so "per-stream order" is "per-file order".
 */
final class Corpus {
  /** Stream → complete lines written so far. Thread-safe. */
  final Map<String, Integer> written = new ConcurrentHashMap<>();

  long bytes;
  int files;
  int bigLines;

  static int scaled(int n) {
    double scale = Double.parseDouble(System.getProperty("loopwatch.it.scale", "1.0"));
    return Math.max(1, (int) Math.round(n * scale));
  }

  static byte[] generic(String stream, int n, int padLen) {
    char[] pad = new char[padLen];
    Arrays.fill(pad, (char) ('a' + n % 26));
    return ("{\"f\":\"" + stream + "\",\"n\":" + n + ",\"pad\":\"" + new String(pad) + "\"}\n").getBytes(UTF_8);
  }

  /** Records that {@code stream} got one more complete line; returns its number. */
  int next(String stream) {
    return written.merge(stream, 1, Integer::sum) - 1;
  }

  /** Lines numbered so far for {@code stream} (what the next number is). */
  int count(String stream) {
    return written.getOrDefault(stream, 0);
  }

  Map<String, Integer> expected() {
    return new TreeMap<>(written);
  }

  long lines() {
    return written.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Appends {@code text} to {@code f} (created if missing) with one open/write/close. */
  static void append(Path f, byte[] text) {
    try {
      Files.write(f, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code count} generic lines of {@code stream} to {@code f}; records them. */
  void appendLines(Path f, String stream, int count, int padLen) {
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16)) {
      for (int i = 0; i < count; i++) {
        byte[] line = generic(stream, count(stream), padLen);
        out.write(line);
        next(stream);
        bytes += line.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code files} generic files spread over {@code dirs} directories under {@code base}, about
   * {@code totalBytes} in all: mostly 100–400 B lines, a quarter 1–4 KiB, and one 200 KiB line in every
   * other file. Every tenth file ends with a partial line (no newline) that must never be journaled.
   */
  static Corpus generic(Path base, int files, int dirs, long totalBytes, long seed) {
    Corpus c = new Corpus();
    Random rnd = new Random(seed);
    long perFile = totalBytes / files;
    try {
      for (int i = 0; i < files; i++) {
        Path dir = base.resolve("d" + (i % dirs));
        Files.createDirectories(dir);
        String stream = "g" + i;
        long fileBytes = 0;
        long bigAt = i % 2 == 0 ? rnd.nextInt((int) Math.max(1, perFile / 2)) : -1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("f" + i + ".jsonl")), 1 << 16)) {
          while (fileBytes < perFile) {
            int pad;
            if (bigAt >= 0 && fileBytes >= bigAt) {
              pad = 200 << 10;
              bigAt = -1;
              c.bigLines++;
            } else {
              pad = rnd.nextInt(4) == 0 ? 1024 + rnd.nextInt(3072) : 60 + rnd.nextInt(300);
            }
            byte[] line = generic(stream, c.count(stream), pad);
            out.write(line);
            c.next(stream);
            fileBytes += line.length;
          }
          if (i % 10 == 0) {
            byte[] partial = generic(stream, c.count(stream), 500);
            out.write(partial, 0, partial.length - 1); // complete JSON, but no newline yet
            fileBytes += partial.length - 1;
          }
        }
        c.bytes += fileBytes;
        c.files++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return c;
  }

  // --- Claude Code transcripts ----------------------------------------------------------------------

  /** The uuid of line {@code n} of transcript file {@code file}: both can be read back from it. */
  static String uuid(int file, int n) {
    return String.format("%08x-0000-4000-8000-%012x", file, n);
  }

  /** The line a transcript uuid of {@link #uuid} names, as stream {@code t<file>}. */
  static Tally.Line fromUuid(String uuid) {
    if (uuid == null || uuid.length() != 36 || !uuid.startsWith("-0000-4000-8000-", 8)) {
      return null;
    }
    try {
      return new Tally.Line("t" + Integer.parseInt(uuid.substring(0, 8), 16), Integer.parseInt(uuid.substring(24), 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Claude Code transcripts under {@code claude/projects/<project>/<session>.jsonl}, {@code files} of them
   * over {@code projects} projects, about {@code totalBytes} in all. Lines alternate user prompts and
   * assistant responses with usage; every line has a unique {@link #uuid}; streams are {@code t<file>}.
   */
  static Corpus transcripts(Path claude, Path workDir, int files, int projects, long totalBytes, long seed) {
    Corpus c = new Corpus();
    Random rnd = new Random(seed);
    long perFile = totalBytes / files;
    Instant t0 = Instant.parse("2026-11-20T09:00:00Z");
    try {
      for (int i = 0; i < files; i++) {
        String cwd = workDir.resolve("p" + (i % projects)).toString();
        Path dir = claude.resolve("projects").resolve(cwd.replace('/', '-'));
        Files.createDirectories(dir);
        String session = String.format("5e55%04x-0000-4000-8000-%012x", i, (long) i);
        String stream = "t" + i;
        long fileBytes = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(session + ".jsonl")), 1 << 16)) {
          while (fileBytes < perFile) {
            int n = c.count(stream);
            byte[] line = transcriptLine(i, n, session, cwd, t0.plusSeconds(i * 10_000L + n), rnd).getBytes(UTF_8);
            out.write(line);
            c.next(stream);
            fileBytes += line.length;
          }
        }
        c.bytes += fileBytes;
        c.files++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return c;
  }

  static String transcriptLine(int file, int n, String session, String cwd, Instant ts, Random rnd) {
    String parent = n == 0 ? "null" : "\"" + uuid(file, n - 1) + "\"";
    String common =
        "\"parentUuid\":" + parent + ",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"" + cwd
            + "\",\"sessionId\":\"" + session + "\",\"version\":\"2.0.14\",\"gitBranch\":\"main\"";
    String tail = ",\"uuid\":\"" + uuid(file, n) + "\",\"timestamp\":\"" + ts + "\"}\n";
    if (n % 2 == 0) {
      String prompt = "Please refactor module " + n + " of file " + file + " " + "and keep the tests green. ".repeat(1 + rnd.nextInt(40));
      return "{" + common + ",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"" + prompt + "\"}" + tail;
    }
    String text = "Done with step " + n + ". " + "The change touches several files. ".repeat(1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 3000 : 60));
    return "{" + common + ",\"type\":\"assistant\",\"message\":{\"id\":\"msg_" + String.format("%08x%08x", file, n)
        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\""
        + text + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + (3 + rnd.nextInt(20))
        + ",\"cache_creation_input_tokens\":" + rnd.nextInt(2000) + ",\"cache_read_input_tokens\":" + rnd.nextInt(90000)
        + ",\"output_tokens\":" + (1 + rnd.nextInt(900)) + ",\"service_tier\":\"standard\"}},\"requestId\":\"req_"
        + String.format("%08x%08x", file, n) + "\"" + tail;
  }
}
