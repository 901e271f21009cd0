/**
 * The process-level fault-injection suite: the real daemon, started through {@code daemon/loopwatchd} as
 * a child process in an isolated sandbox (temporary HOME and XDG directories), killed with SIGKILL,
 * stopped with SIGTERM, frozen with SIGSTOP, fed large, rotating, broken and numerous files; after each
 * case the journal is read back from this JVM and every complete line written must be in it exactly once,
 * in file order ({@link dev.loopwatch.daemon.it.Tally}). The cases are those of
 * {@code reference/tailing-anchors.md} §4 that need a process; the in-process ones are in
 * {@code ingest/TailingTest}.
 *
 * <p>Run by maven-failsafe after {@code package} ({@code *IT} classes): {@code mvn -B verify}. One class:
 * {@code mvn -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KillDuringBackfillIT}.
 *
 * <ul>
 *   <li>{@code -Dloopwatch.it.scale=0.5} scales the corpora (the backfill-kill corpus stays at least
 *       100 MB).
 *   <li>A failing test keeps its sandbox ({@code /tmp/junit-…}, with the daemon's output in
 *       {@code daemon-N.log}); the daemon output is also in {@code target/failsafe-reports/*-output.txt}.
 * </ul>
 *
 * <p>No sleeps: every wait polls observable state (journal contents, log lines, /proc) with Awaitility.
 */
package dev.loopwatch.daemon.it;
