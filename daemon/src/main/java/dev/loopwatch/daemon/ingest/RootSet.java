package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.ingest.parse.SourceKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directories watched: the Claude homes, and the {@code .claude/} and {@code .devloop/} of every
 * project (children of configured roots, and working directories seen in transcripts). Which of them
 * exist is re-checked at every rescan, so a project created later is picked up.
 */
final class RootSet {
  /** Where a file belongs: its root and source kind. */
  record Located(WatchedRoot root, SourceKind kind) {}

  private final List<Path> claudeHomes;
  private volatile List<Path> projectRoots;
  private volatile boolean discover;
  private final Set<String> discovered = ConcurrentHashMap.newKeySet();
  private volatile List<WatchedRoot> current = List.of();

  RootSet(List<Path> claudeHomes, List<Path> projectRoots, boolean discover) {
    this.claudeHomes = List.copyOf(claudeHomes);
    this.projectRoots = List.copyOf(projectRoots);
    this.discover = discover;
  }

  /** Applies a reloaded configuration's project settings (the homes need a restart). */
  void reconfigure(List<Path> newProjectRoots, boolean newDiscover) {
    projectRoots = List.copyOf(newProjectRoots);
    discover = newDiscover;
  }

  /** Records a project directory; returns true when it is new. */
  boolean addProject(String dir) {
    return discovered.add(dir);
  }

  boolean discoverFromTranscripts() {
    return discover;
  }

  List<Path> claudeHomes() {
    return claudeHomes;
  }

  /** The roots as of the last {@link #refresh()}. */
  List<WatchedRoot> current() {
    return current;
  }

  /** Re-checks which roots exist; returns true when the set changed. */
  boolean refresh() {
    Set<Path> taken = new LinkedHashSet<>();
    List<WatchedRoot> roots = new ArrayList<>();
    for (Path home : claudeHomes) {
      if (Files.isDirectory(home) && taken.add(home.normalize())) {
        roots.add(new WatchedRoot(home.normalize(), RootKind.CLAUDE_HOME));
      }
    }
    Set<Path> projects = new LinkedHashSet<>();
    for (Path root : projectRoots) {
      if (Files.isDirectory(root)) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
          children.forEach(projects::add);
        } catch (IOException e) {
          // unreadable root: nothing to watch there now, the next rescan tries again
        }
      }
    }
    if (discover) {
      for (String d : discovered) {
        projects.add(Path.of(d));
      }
    }
    for (Path p : projects) {
      addIfDir(roots, taken, p.resolve(".claude"), RootKind.PROJECT_CLAUDE);
      addIfDir(roots, taken, p.resolve(".devloop"), RootKind.PROJECT_DEVLOOP);
    }
    boolean changed = !roots.equals(current);
    current = List.copyOf(roots);
    return changed;
  }

  /** The deepest current root containing {@code file}, with the file's kind; {@code null} if none. */
  Located locate(Path file) {
    WatchedRoot best = null;
    for (WatchedRoot r : current) {
      if (file.startsWith(r.dir()) && (best == null || r.dir().getNameCount() > best.dir().getNameCount())) {
        best = r;
      }
    }
    if (best == null) {
      return null;
    }
    SourceKind kind = SourceRegistry.classify(best, file);
    return kind == null ? null : new Located(best, kind);
  }

  private static void addIfDir(List<WatchedRoot> roots, Set<Path> taken, Path dir, RootKind kind) {
    Path d = dir.normalize();
    if (Files.isDirectory(d) && taken.add(d)) {
      roots.add(new WatchedRoot(d, kind));
    }
  }
}
