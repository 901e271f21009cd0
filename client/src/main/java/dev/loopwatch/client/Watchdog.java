package dev.loopwatch.client;

import java.util.concurrent.TimeUnit;

/**
 * Runs an action once at a deadline unless {@link #finish()} came first. Unix domain sockets on JDK 17
 * have no read timeout (no {@code SO_TIMEOUT}), so a deadline is a thread that closes the channel, or, for
 * the hook, halts the JVM (reference/java-libraries.md §5). A daemon thread: it never keeps the JVM alive.
 */
final class Watchdog extends Thread {
  private final Runnable action;
  private long deadlineNanos;
  private boolean finished;
  private boolean fired;

  Watchdog(long deadlineNanos, Runnable action) {
    super("loopwatch-deadline");
    this.deadlineNanos = deadlineNanos;
    this.action = action;
    setDaemon(true);
  }

  /** Moves the deadline (earlier or later); a deadline already in the past fires at once. */
  synchronized void moveTo(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    notifyAll();
  }

  /**
   * Claims the time that is left: after {@code true} the action never runs, so the caller may write its
   * output in full; {@code false} means the deadline passed and the action ran or is running.
   */
  synchronized boolean finish() {
    if (fired) {
      return false;
    }
    finished = true;
    notifyAll();
    return true;
  }

  /** Whether the deadline passed (and the action ran or is running). */
  synchronized boolean expired() {
    return fired;
  }

  @Override
  public void run() {
    synchronized (this) {
      while (!finished) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          fired = true;
          break;
        }
        try {
          wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (!fired) {
        return;
      }
    }
    action.run();
  }
}
