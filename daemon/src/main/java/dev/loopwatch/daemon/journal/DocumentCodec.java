package dev.loopwatch.daemon.journal;

import dev.loopwatch.daemon.event.Event;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of one journal document: a format byte, then the marks and the events, each as a
 * length-prefixed UTF-8 JSON record. Marks come first so that replaying positions can skip the events
 * without decoding them.
 */
final class DocumentCodec {
  static final byte FORMAT_V1 = 1;

  private DocumentCodec() {}

  static void write(Bytes<?> out, List<byte[]> marks, List<byte[]> events) {
    out.writeByte(FORMAT_V1);
    out.writeInt(marks.size());
    for (byte[] m : marks) {
      out.writeInt(m.length);
      out.write(m);
    }
    out.writeInt(events.size());
    for (byte[] e : events) {
      out.writeInt(e.length);
      out.write(e);
    }
  }

  static JournalEntry read(long index, Bytes<?> in, boolean withEvents) {
    byte format = in.readByte();
    if (format != FORMAT_V1) {
      throw new JournalFormatException("journal document " + Long.toHexString(index) + " has unknown format " + format);
    }
    int markCount = in.readInt();
    List<byte[]> marks = new ArrayList<>(markCount);
    for (int i = 0; i < markCount; i++) {
      marks.add(readRecord(in));
    }
    if (!withEvents) {
      return new JournalEntry(index, marks, List.of());
    }
    int eventCount = in.readInt();
    List<Event> events = new ArrayList<>(eventCount);
    for (int i = 0; i < eventCount; i++) {
      events.add(EventCodec.decode(readRecord(in)));
    }
    return new JournalEntry(index, marks, events);
  }

  private static byte[] readRecord(Bytes<?> in) {
    int length = in.readInt();
    if (length < 0 || length > in.readRemaining()) {
      throw new JournalFormatException("corrupt record length " + length);
    }
    byte[] record = new byte[length];
    in.read(record);
    return record;
  }
}
