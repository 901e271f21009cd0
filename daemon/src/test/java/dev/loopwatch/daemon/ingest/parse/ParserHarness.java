package dev.loopwatch.daemon.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** Runs one parser over inline lines or content, as a tailer of {@code file} would. */
final class ParserHarness {
  final CollectingSink sink = new CollectingSink();
  private final ParseContext ctx;
  private long offset;

  ParserHarness(SourceKind kind, Path root, Path file) {
    this.ctx = new ParseContext(new SourceFile(file, kind, root), root.relativize(file).toString(), "m", sink);
  }

  /** Lines written with single quotes for readability (see {@link TranscriptParserTest#j}). */
  ParserHarness lines(String... lines) throws BadLineException {
    LineParser parser = Parsers.lineParser(ctx.file().kind());
    for (String line : lines) {
      ctx.at(offset, Fixtures.INGESTED);
      parser.parse(TranscriptParserTest.j(line), ctx);
      offset += line.length() + 1;
    }
    return this;
  }

  ParserHarness whole(String content) throws BadLineException {
    return whole(content, null);
  }

  /** A version of a whole file last modified at {@code mtime} ({@code null}: not known). */
  ParserHarness whole(String content, Instant mtime) throws BadLineException {
    ctx.at(0, Fixtures.INGESTED).modifiedAt(mtime);
    Parsers.wholeFileParser(ctx.file().kind()).parse(content.getBytes(StandardCharsets.UTF_8), ctx);
    return this;
  }
}
