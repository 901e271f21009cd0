package dev.loopwatch.daemon.journal;

import dev.loopwatch.daemon.event.Event;
import java.util.List;

/** One journal document as read back: its queue index, the producer's marks and the events. */
public record JournalEntry(long index, List<byte[]> marks, List<Event> events) {}
