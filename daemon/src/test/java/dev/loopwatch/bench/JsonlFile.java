package dev.loopwatch.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One JSONL file being written: one compact JSON value and a '\n' per line, with running line and byte counts. */
final class JsonlFile implements Closeable {

  private final ObjectMapper mapper;
  private final CountingStream counter;
  private final JsonGenerator gen;
  private long lines;

  JsonlFile(ObjectMapper mapper, Path path) {
    this.mapper = mapper;
    try {
      Files.createDirectories(path.getParent());
      counter = new CountingStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
      gen = mapper.getFactory().createGenerator(counter);
      // Jackson separates root values with a space by default; we end every line with '\n' ourselves.
      gen.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(JsonNode line) {
    try {
      mapper.writeTree(gen, line);
      gen.writeRaw('\n');
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long lines() {
    return lines;
  }

  /** Bytes written so far, including what the generator still buffers. */
  long bytes() {
    return counter.count + gen.getOutputBuffered();
  }

  @Override
  public void close() {
    try {
      gen.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
