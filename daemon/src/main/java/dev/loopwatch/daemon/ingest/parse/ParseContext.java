package dev.loopwatch.daemon.ingest.parse;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventIds;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a line (or a whole-file version) came from, and the way out for the events it yields. A reader
 * reuses one context per file, moving {@link #at} along; parsers must not keep it.
 */
public final class ParseContext {
  /** Attribute set on events whose source line had no timestamp. */
  public static final String NO_SOURCE_TIME = "tsFromIngest";

  private final SourceFile file;
  private final String streamKey;
  private final String machine;
  private final EventSink sink;
  private long offset;
  private Instant ingestedAt;
  private Instant modifiedAt;

  /**
   * @param streamKey identifies this file's content stream (stable across restarts and renames); with
   *     the byte offset it names lines that have no natural key of their own
   */
  public ParseContext(SourceFile file, String streamKey, String machine, EventSink sink) {
    this.file = Objects.requireNonNull(file, "file");
    this.streamKey = Objects.requireNonNull(streamKey, "streamKey");
    this.machine = machine;
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Moves the context to the line starting at {@code offset}, read at {@code ingestedAt}. */
  public ParseContext at(long offset, Instant ingestedAt) {
    this.offset = offset;
    this.ingestedAt = ingestedAt;
    return this;
  }

  public SourceFile file() {
    return file;
  }

  public long offset() {
    return offset;
  }

  public Instant ingestedAt() {
    return ingestedAt;
  }

  /**
   * Sets the file's modification time, for sources read whole whose content has no time of its own: the
   * time the version being parsed was written.
   */
  public ParseContext modifiedAt(Instant mtime) {
    this.modifiedAt = mtime;
    return this;
  }

  /** The file's modification time when a whole-file version is parsed; {@code null} for line sources. */
  public Instant modifiedAt() {
    return modifiedAt;
  }

  /** A key for the current line that is unique and stable: the stream and the byte offset. */
  public String positionKey() {
    return streamKey + '@' + offset;
  }

  /** A builder with the source, machine and ingestion time filled in. */
  public Event.Builder event(EventKind kind) {
    return Event.builder(kind, file.kind().sourceName()).machine(machine).ingestedAt(ingestedAt);
  }

  /**
   * Gives the event its stable id (source + kind + {@code naturalKey}) and emits it. The timestamp
   * defaults to the ingestion time when the source has none (and the event says so: {@link #NO_SOURCE_TIME}).
   */
  public void emit(Event.Builder builder, String naturalKey) {
    builder.id(EventIds.of(file.kind().sourceName(), builder.kind().name(), naturalKey));
    if (!builder.hasTs()) {
      // The source gave no time (a transcript's summary line): the ingestion time stands in, marked so
      // the store does not take it for activity.
      builder.ts(ingestedAt).attr(NO_SOURCE_TIME, "true");
    }
    sink.event(builder.build());
  }

  public void projectSeen(Path projectDir) {
    sink.projectSeen(projectDir);
  }
}
