package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void claudeCodesOwnShape() {
    assertEquals(Instant.parse("2026-02-10T21:11:59.186Z"), Timestamps.parse("2026-02-10T21:11:59.186Z"));
    assertEquals(Instant.parse("2026-02-10T21:11:59Z"), Timestamps.parse("2026-02-10T21:11:59Z"));
    assertEquals(Instant.parse("2026-02-10T21:11:59.123456789Z"), Timestamps.parse("2026-02-10T21:11:59.123456789Z"));
    assertEquals(Instant.parse("2026-02-10T21:11:59.100Z"), Timestamps.parse("2026-02-10T21:11:59.1Z"));
  }

  @Test
  void offsetsAndSpaces() {
    assertEquals(Instant.parse("2025-12-12T08:23:45Z"), Timestamps.parse("2025-12-12T10:23:45+02:00"));
    assertEquals(Instant.parse("2025-12-12T10:23:45.5Z"), Timestamps.parse("2025-12-12 10:23:45.5Z"));
    assertEquals(Instant.parse("2025-10-20T15:23:45.123456Z"), Timestamps.parse("2025-10-20T15:23:45.123456+00:00"));
  }

  @Test
  void withoutAZoneIsLocalTime() {
    assertEquals(
        LocalDateTime.parse("2025-10-20T16:15:36.744116").atZone(BERLIN).toInstant(),
        Timestamps.parse("2025-10-20T16:15:36.744116", BERLIN));
    assertEquals(
        LocalDateTime.parse("2025-10-20T00:00:00").atZone(BERLIN).toInstant(),
        Timestamps.parse("2025-10-20", BERLIN));
  }

  @Test
  void epochNumbersByMagnitude() {
    Instant t = Instant.parse("2026-02-10T22:37:58.169Z");
    assertEquals(t, Timestamps.parse(Fixtures.json("1770763078169")));
    assertEquals(t, Timestamps.parse("1770763078169"));
    assertEquals(Instant.ofEpochSecond(1770763078), Timestamps.parse(Fixtures.json("1770763078")));
    assertEquals(Instant.ofEpochSecond(1734000000, 500_000_000), Timestamps.parse(Fixtures.json("1734000000.5")));
    assertEquals(t, Timestamps.parse(Fixtures.json("1770763078169000")));
    assertEquals(t, Timestamps.parse(Fixtures.json("1770763078169000000")));
  }

  @Test
  void garbageIsNullNotAnException() {
    assertNull(Timestamps.parse((String) null));
    assertNull(Timestamps.parse(""));
    assertNull(Timestamps.parse("yesterday"));
    assertNull(Timestamps.parse("2026-02-30T10:00:00Z"));
    assertNull(Timestamps.parse("2026-13-01T10:00:00Z"));
    assertNull(Timestamps.parse("2026-02-10T25:00:00.000Z"));
    assertNull(Timestamps.parse("2026-02-10Tab:cd:ef.000Z"));
    assertNull(Timestamps.parse(Fixtures.json("-5")));
    assertNull(Timestamps.parse(Fixtures.json("true")));
    assertNull(Timestamps.parse(Fixtures.json("{}")));
    assertNull(Timestamps.parse("9".repeat(400)));
  }

  @Test
  void firstReadableField() {
    assertEquals(
        Instant.parse("2026-01-01T00:00:00Z"),
        Timestamps.first(Fixtures.json("{\"timestamp\":\"nope\",\"ts\":\"2026-01-01T00:00:00Z\"}"), "timestamp", "ts"));
  }
}
