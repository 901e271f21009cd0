package dev.loopwatch.daemon.ingest.parse;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Keeps what parsers emit, for assertions. */
final class CollectingSink implements EventSink {
  final List<Event> events = new ArrayList<>();
  final Set<Path> projects = new LinkedHashSet<>();
  final List<Path> projectReports = new ArrayList<>();

  @Override
  public void event(Event event) {
    events.add(event);
  }

  @Override
  public void projectSeen(Path projectDir) {
    projects.add(projectDir);
    projectReports.add(projectDir);
  }

  List<Event> of(EventKind kind) {
    return events.stream().filter(e -> e.kind() == kind).collect(Collectors.toList());
  }

  Event only(EventKind kind) {
    List<Event> found = of(kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " but got " + found.size() + ": " + events);
    }
    return found.get(0);
  }
}
