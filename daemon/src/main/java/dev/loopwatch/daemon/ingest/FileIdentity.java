package dev.loopwatch.daemon.ingest;

/** A file's identity on this machine while it exists: device and inode (names change, these don't). */
public record FileIdentity(long dev, long ino) {}
