package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void countsHaveThousandsSeparators() {
    assertEquals("0", Formats.count(0L));
    assertEquals("999", Formats.count(999L));
    assertEquals("1,000", Formats.count(1000L));
    assertEquals("1,234,567", Formats.count(1_234_567L));
    assertEquals("-12,345", Formats.count(-12_345L));
    assertEquals("123,456,789,012,345,678,901", Formats.count(new BigDecimal("123456789012345678901")));
    assertEquals("3", Formats.count(new BigDecimal("2.5")));
    assertEquals("-", Formats.count(null));
  }

  @Test
  void moneyHasTwoDecimalsAndFourBelowADollar() {
    assertEquals("$12.35", Formats.money(new BigDecimal("12.345")));
    assertEquals("$1.00", Formats.money(new BigDecimal("0.99999")));
    assertEquals("$0.9999", Formats.money(new BigDecimal("0.99994")));
    assertEquals("$0.0123", Formats.money(new BigDecimal("0.01234")));
    assertEquals("$0.0001", Formats.money(new BigDecimal("0.00005")));
    assertEquals("$0.00", Formats.money(BigDecimal.ZERO));
    assertEquals("$1234.50", Formats.money(new BigDecimal("1234.5")));
    assertEquals("-$2.00", Formats.money(new BigDecimal("-2")));
    assertEquals("-", Formats.money(null));
  }

  @Test
  void durations() {
    assertEquals("0ms", Formats.duration(0L));
    assertEquals("999ms", Formats.duration(999L));
    assertEquals("1.0s", Formats.duration(1000L));
    assertEquals("3.4s", Formats.duration(3450L));
    assertEquals("10s", Formats.duration(10_000L));
    assertEquals("59s", Formats.duration(59_999L));
    assertEquals("1m00s", Formats.duration(60_000L));
    assertEquals("3m12s", Formats.duration(192_000L));
    assertEquals("1h05m", Formats.duration(3_900_000L));
    assertEquals("2d03h", Formats.duration((51L * 3600 + 59) * 1000));
    assertEquals("-", Formats.duration(-1L));
    assertEquals("-", Formats.duration(null));
  }

  @Test
  void bytesAndPercentages() {
    assertEquals("512 B", Formats.bytes(512L));
    assertEquals("1.0 KiB", Formats.bytes(1024L));
    assertEquals("45.6 MiB", Formats.bytes(47_815_065L));
    assertEquals("2.0 GiB", Formats.bytes(2L << 30));
    assertEquals("92.5%", Formats.percent(new BigDecimal("0.925")));
    assertEquals("100.0%", Formats.percent(1L));
  }

  @Test
  void timesAreLocalToTheMinute() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertEquals("2026-02-12 17:02", Formats.time("2026-02-12T16:02:59.999Z", paris));
    assertEquals("2026-07-01 02:00", Formats.time("2026-07-01T00:00:00Z", paris));
    assertEquals("2026-02-12 16:02", Formats.time("2026-02-12T17:02:00+01:00", ZoneId.of("UTC")));
    assertEquals("2026-02-12", Formats.time("2026-02-12", paris));
    assertEquals("-", Formats.time(null, paris));
  }

  @Test
  void theZoneIsTheFlagThenTzThenTheSystems() {
    assertEquals(ZoneId.of("Asia/Tokyo"), Formats.zone("Asia/Tokyo", Map.of("TZ", "UTC")));
    assertEquals(ZoneId.of("UTC"), Formats.zone(null, Map.of("TZ", "UTC")));
    assertEquals(ZoneId.of("Europe/Paris"), Formats.zone(null, Map.of("TZ", ":Europe/Paris")));
    assertEquals(ZoneId.of("UTC"), Formats.zone("Not/AZone", Map.of("TZ", "UTC")));
    assertEquals(ZoneId.systemDefault(), Formats.zone(null, Map.of()));
  }

  @Test
  void clipping() {
    assertEquals("abc", Formats.clip("abc", 3));
    assertEquals("ab…", Formats.clip("abcd", 3));
    assertEquals("…cd", Formats.clipStart("abcd", 3));
    assertEquals("a / b c", Formats.clip("a\r\n\nb\tc\n", 20));
  }

  @Test
  void tablesAlignTextLeftAndNumbersRight() {
    Table t = new Table().text("NAME").num("N");
    t.row("a", "1");
    t.row("longer", "1,000");
    t.rule();
    t.row("TOTAL", null);
    assertEquals("NAME        N\na           1\nlonger  1,000\n------  -----\nTOTAL       -\n", t.render());
  }
}
