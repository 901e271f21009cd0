package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.ingest.parse.SourceKind;
import java.nio.file.Path;

/**
 * How far one content stream of a file has been read into the journal. Journaled in the same document
 * as the events read up to {@code offset}, so the two can never disagree after a crash.
 *
 * <p>A stream is one "generation" of a file: truncating or rewriting a file starts a new stream (new
 * id); renaming keeps it. The identity checks that guard against reading the wrong bytes at
 * {@code offset}: device+inode, a hash of the first {@code headLen} bytes (inode reuse, in-place
 * rewrites) and a hash of the bytes just before {@code offset} (truncate-and-regrow, atomic replace with
 * the same prefix).
 *
 * @param stream random id of this content stream; with the byte offset it keys lines without a natural id
 * @param path where the file was last seen
 * @param source what the file is (kept, so a rotated file with a foreign name is still parsed right)
 * @param root the watched root it belongs to
 * @param headLen bytes covered by {@code headHash} (grows to {@link Fingerprints#HEAD_BYTES})
 * @param offset the first byte not yet journaled (always at a line start)
 * @param markHash hash of the up to {@link Fingerprints#MARK_BYTES} bytes before {@code offset}
 * @param contentHash for whole-file sources: hash of the last version parsed
 * @param size file size when last read (lag and lost-bytes accounting)
 * @param mtime modification time when last read (epoch ms)
 * @param lines complete lines read so far
 * @param goneAt when the stream's file disappeared or was superseded (epoch ms), else 0; kept a while
 *     so that a copy or replacement with the same content can continue it
 */
public record FileCheckpoint(
    String stream,
    String path,
    SourceKind source,
    String root,
    long dev,
    long ino,
    int headLen,
    String headHash,
    long offset,
    String markHash,
    String contentHash,
    long size,
    long mtime,
    long lines,
    long goneAt) {

  public boolean gone() {
    return goneAt != 0;
  }

  public FileIdentity identity() {
    return new FileIdentity(dev, ino);
  }

  public Path filePath() {
    return Path.of(path);
  }

  FileCheckpoint at(Path newPath, FileIdentity id) {
    return new FileCheckpoint(
        stream, newPath.toString(), source, root, id.dev(), id.ino(), headLen, headHash, offset, markHash,
        contentHash, size, mtime, lines, 0);
  }

  FileCheckpoint retired(long when) {
    return new FileCheckpoint(
        stream, path, source, root, dev, ino, headLen, headHash, offset, markHash, contentHash, size, mtime,
        lines, when);
  }

  FileCheckpoint advanced(
      long newOffset, int newHeadLen, String newHeadHash, String newMarkHash, String newContentHash,
      long newSize, long newMtime, long addedLines) {
    return new FileCheckpoint(
        stream, path, source, root, dev, ino, newHeadLen, newHeadHash, newOffset, newMarkHash, newContentHash,
        newSize, newMtime, lines + addedLines, 0);
  }
}
