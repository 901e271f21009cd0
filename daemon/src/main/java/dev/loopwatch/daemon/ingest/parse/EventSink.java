package dev.loopwatch.daemon.ingest.parse;

import dev.loopwatch.daemon.event.Event;
import java.nio.file.Path;

/** Where parsers put what they found. */
public interface EventSink {
  void event(Event event);

  /** A working directory seen in a source (a transcript's {@code cwd}): its .claude/.devloop get watched. */
  default void projectSeen(Path projectDir) {}
}
