package dev.loopwatch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The least any Java ingest on our stack has to do, as a baseline for the benchmarks: start a JVM, read
 * every {@code *.jsonl} file under a directory and run Jackson's tokenizer over every line, with as many
 * threads as the daemon has ingest workers. Nothing is decoded, kept, journaled or projected (string
 * values are skipped, not materialized). The daemon does all of this and more, so its backfill cannot be
 * faster than this program on the same files; ccusage's time beside it shows where the JVM alone stands.
 *
 * <pre>java @config/jvm.options -cp ... dev.loopwatch.bench.TokenizeFloor DIR [THREADS]</pre>
 *
 * Prints one line: files, lines, tokens, bytes, and lines Jackson refused.
 */
public final class TokenizeFloor {
  private TokenizeFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: TokenizeFloor DIR [THREADS]");
      System.exit(64);
    }
    Counts c = run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 2);
    System.out.printf(
        "files=%d lines=%d tokens=%d bytes=%d refused=%d%n", c.files(), c.lines(), c.tokens(), c.bytes(), c.refused());
  }

  /** What one run read: files, non-empty lines, JSON tokens, bytes, and lines Jackson refused. */
  record Counts(int files, long lines, long tokens, long bytes, long refused) {}

  /** Reads and tokenizes every {@code *.jsonl} file under {@code root} on {@code threads} threads. */
  static Counts run(Path root, int threads) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p)).toList();
    }
    JsonFactory json = new JsonFactory();
    LongAdder lines = new LongAdder();
    LongAdder tokens = new LongAdder();
    LongAdder bytes = new LongAdder();
    LongAdder refused = new LongAdder();
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < files.size(); ) {
                  tokenize(json, files.get(i), lines, tokens, bytes, refused);
                }
              },
              "floor-" + (t + 1));
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return new Counts(files.size(), lines.sum(), tokens.sum(), bytes.sum(), refused.sum());
  }

  private static void tokenize(
      JsonFactory json, Path file, LongAdder lines, LongAdder tokens, LongAdder bytes, LongAdder refused) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.add(content.length);
    int start = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        if (i > start) {
          lines.increment();
          try (JsonParser p = json.createParser(content, start, i - start)) {
            long n = 0;
            while (p.nextToken() != null) {
              n++;
            }
            tokens.add(n);
          } catch (JsonProcessingException e) {
            refused.increment();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        start = i + 1;
      }
    }
  }
}
