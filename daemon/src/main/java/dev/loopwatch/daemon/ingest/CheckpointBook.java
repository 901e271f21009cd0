package dev.loopwatch.daemon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed ingest state: every stream's checkpoint and the discovered projects, exactly as of the
 * last journal document applied. Only the journal writer thread (and start-up) mutates it, through
 * {@link #apply}; workers read it concurrently.
 *
 * <p>A snapshot file ({@code checkpoints.json}) records the state with the journal index it matches, so
 * a start only replays the documents written after it; the file is replaced atomically.
 */
final class CheckpointBook {
  private static final Logger log = LoggerFactory.getLogger(CheckpointBook.class);
  private static final int SNAPSHOT_VERSION = 1;

  private final Path snapshotFile;
  private final Map<String, FileCheckpoint> streams = new ConcurrentHashMap<>();
  private final Map<String, String> activeByPath = new ConcurrentHashMap<>();
  private final Map<FileIdentity, String> activeByInode = new ConcurrentHashMap<>();
  private final Set<String> projects = ConcurrentHashMap.newKeySet();
  private volatile long appliedIndex = -1;
  private volatile long snapshotIndex = -1;
  private volatile boolean dirty;

  CheckpointBook(Path snapshotFile) {
    this.snapshotFile = snapshotFile;
  }

  FileCheckpoint byPath(Path path) {
    String s = activeByPath.get(path.toString());
    return s == null ? null : streams.get(s);
  }

  FileCheckpoint byInode(FileIdentity id) {
    String s = activeByInode.get(id);
    return s == null ? null : streams.get(s);
  }

  FileCheckpoint byStream(String stream) {
    return streams.get(stream);
  }

  /** Streams whose file vanished or was superseded, newest first: candidates to be continued. */
  List<FileCheckpoint> orphans() {
    List<FileCheckpoint> out = new ArrayList<>();
    for (FileCheckpoint cp : streams.values()) {
      if (cp.gone()) {
        out.add(cp);
      }
    }
    out.sort((a, b) -> Long.compare(b.goneAt(), a.goneAt()));
    return out;
  }

  List<FileCheckpoint> active() {
    List<FileCheckpoint> out = new ArrayList<>();
    for (FileCheckpoint cp : streams.values()) {
      if (!cp.gone()) {
        out.add(cp);
      }
    }
    return out;
  }

  boolean hasProject(String dir) {
    return projects.contains(dir);
  }

  Collection<String> projects() {
    return List.copyOf(projects);
  }

  long appliedIndex() {
    return appliedIndex;
  }

  /** Applies one journal document's marks; {@code index} is that document's. */
  void apply(List<byte[]> marks, long index) {
    for (byte[] bytes : marks) {
      IngestMarks.Mark m = IngestMarks.decode(bytes);
      if (m == null) {
        continue;
      }
      if (m.file() != null) {
        put(m.file());
      } else if (m.project() != null && !m.project().isEmpty()) {
        projects.add(m.project());
      }
    }
    appliedIndex = index;
    dirty = true;
  }

  private void put(FileCheckpoint cp) {
    FileCheckpoint old = streams.put(cp.stream(), cp);
    if (old != null) {
      activeByPath.remove(old.path(), old.stream());
      activeByInode.remove(old.identity(), old.stream());
    }
    if (!cp.gone()) {
      activeByPath.put(cp.path(), cp.stream());
      activeByInode.put(cp.identity(), cp.stream());
    }
  }

  /**
   * Loads the snapshot, if any. Returns the journal index it matches (documents after it must be
   * replayed), or -1 when there is none or it is unreadable (then the whole journal is replayed).
   */
  long load() {
    if (!Files.exists(snapshotFile)) {
      return -1;
    }
    try {
      JsonNode root = IngestMarks.JSON.readTree(snapshotFile.toFile());
      if (root.path("version").asInt() != SNAPSHOT_VERSION) {
        log.warn("ingest - ignoring checkpoint snapshot {} of unknown version; replaying the journal", snapshotFile);
        return -1;
      }
      for (JsonNode n : root.path("streams")) {
        put(IngestMarks.JSON.treeToValue(n, FileCheckpoint.class));
      }
      for (JsonNode p : root.path("projects")) {
        projects.add(p.asText());
      }
      long index = root.path("index").asLong(-1);
      appliedIndex = index;
      snapshotIndex = index;
      return index;
    } catch (IOException | RuntimeException e) {
      log.warn("ingest - checkpoint snapshot {} is unreadable ({}); replaying the journal", snapshotFile, e.toString());
      clear();
      return -1;
    }
  }

  /** Forgets everything (the journal was lost, so must the positions be). */
  void clear() {
    streams.clear();
    activeByPath.clear();
    activeByInode.clear();
    projects.clear();
    appliedIndex = -1;
    snapshotIndex = -1;
  }

  /**
   * Writes the snapshot if anything changed since the last one; orphans older than {@code orphanTtl}
   * are dropped first. Call only from the thread that applies marks (or after it stopped).
   */
  void snapshot(long nowMillis, Duration orphanTtl) throws IOException {
    if (!dirty && snapshotIndex == appliedIndex) {
      return;
    }
    for (FileCheckpoint cp : List.copyOf(streams.values())) {
      if (cp.gone() && nowMillis - cp.goneAt() > orphanTtl.toMillis()) {
        streams.remove(cp.stream());
      }
    }
    ObjectNode root = IngestMarks.JSON.createObjectNode();
    root.put("version", SNAPSHOT_VERSION);
    root.put("index", appliedIndex);
    ArrayNode arr = root.putArray("streams");
    for (FileCheckpoint cp : streams.values()) {
      arr.add(IngestMarks.JSON.valueToTree(cp));
    }
    ArrayNode ps = root.putArray("projects");
    projects.stream().sorted().forEach(ps::add);
    Files.createDirectories(snapshotFile.getParent());
    Path tmp = snapshotFile.resolveSibling(snapshotFile.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      IngestMarks.JSON.writeValue(out, root);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    snapshotIndex = appliedIndex;
    dirty = false;
  }

  int size() {
    return streams.size();
  }
}
