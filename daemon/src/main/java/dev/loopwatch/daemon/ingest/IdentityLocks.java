package dev.loopwatch.daemon.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks on file identities (device + inode), so that one file is never read by two workers at
 * once even when it is reachable under two paths (a rename while its old name is being drained). A
 * fixed number of stripes keeps memory bounded however many files come and go; two files sharing a
 * stripe merely take turns. Stripes are always taken in ascending order, so two workers cannot deadlock.
 */
final class IdentityLocks {
  private static final int STRIPES = 256;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  IdentityLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Locks the stripes of the given identities ({@code null}s are skipped); returns them for unlocking. */
  List<ReentrantLock> lock(FileIdentity... ids) {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (FileIdentity id : ids) {
      if (id != null) {
        indexes.add(Math.floorMod(id.hashCode(), STRIPES));
      }
    }
    List<ReentrantLock> held = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      stripes[i].lock();
      held.add(stripes[i]);
    }
    return held;
  }

  /**
   * Adds {@code id}'s stripe to {@code held} without waiting (a worker already holding stripes must not
   * block on another: that could deadlock); false when another worker has it.
   */
  boolean tryAdd(List<ReentrantLock> held, FileIdentity id) {
    ReentrantLock l = stripes[Math.floorMod(id.hashCode(), STRIPES)];
    if (held.contains(l)) {
      return true;
    }
    if (!l.tryLock()) {
      return false;
    }
    held.add(l);
    return true;
  }

  void unlock(List<ReentrantLock> held) {
    for (int i = held.size() - 1; i >= 0; i--) {
      held.get(i).unlock();
    }
  }
}
