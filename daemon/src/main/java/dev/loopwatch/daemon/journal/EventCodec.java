package dev.loopwatch.daemon.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.event.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes an {@link Event} as compact JSON with stable field names — the journal's on-disk format, read
 * back by the projector and by anyone inspecting the journal. Hand-written on Jackson's streaming API:
 * explicit, fast, and independent of reflection. Timestamps are epoch milliseconds.
 */
public final class EventCodec {
  private static final JsonFactory JSON = new JsonFactory();

  private EventCodec() {}

  public static byte[] encode(Event e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(e, g);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot happen writing to memory", ex);
    }
    return out.toByteArray();
  }

  static void write(Event e, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", e.id());
    g.writeNumberField("ts", e.ts().toEpochMilli());
    g.writeNumberField("in", e.ingestedAt().toEpochMilli());
    str(g, "machine", e.machine());
    g.writeStringField("source", e.source());
    g.writeStringField("kind", e.kind().name());
    str(g, "session", e.sessionId());
    str(g, "project", e.project());
    str(g, "agent", e.agentId());
    str(g, "tool", e.tool());
    str(g, "model", e.model());
    if (e.usage() != null) {
      Usage u = e.usage();
      g.writeArrayFieldStart("usage");
      g.writeNumber(u.input());
      g.writeNumber(u.output());
      g.writeNumber(u.cacheWrite5m());
      g.writeNumber(u.cacheWrite1h());
      g.writeNumber(u.cacheRead());
      g.writeNumber(u.webSearch());
      g.writeEndArray();
    }
    if (e.durationMs() != null) {
      g.writeNumberField("durationMs", e.durationMs());
    }
    if (e.success() != null) {
      g.writeBooleanField("success", e.success());
    }
    str(g, "error", e.error());
    str(g, "signature", e.signature());
    if (!e.attrs().isEmpty()) {
      g.writeObjectFieldStart("attrs");
      for (Map.Entry<String, String> a : new TreeMap<>(e.attrs()).entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  public static Event decode(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      p.nextToken();
      return read(p);
    } catch (IOException ex) {
      throw new JournalFormatException("undecodable event: " + ex.getMessage(), ex);
    }
  }

  static Event read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new JournalFormatException("event is not an object");
    }
    String id = null;
    String source = null;
    EventKind kind = null;
    Instant ts = null;
    Instant in = null;
    String machine = null;
    String session = null;
    String project = null;
    String agent = null;
    String tool = null;
    String model = null;
    Usage usage = null;
    Long duration = null;
    Boolean success = null;
    String error = null;
    String signature = null;
    Map<String, String> attrs = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = p.getText();
        case "ts" -> ts = Instant.ofEpochMilli(p.getLongValue());
        case "in" -> in = Instant.ofEpochMilli(p.getLongValue());
        case "machine" -> machine = p.getText();
        case "source" -> source = p.getText();
        case "kind" -> kind = EventKind.valueOf(p.getText());
        case "session" -> session = p.getText();
        case "project" -> project = p.getText();
        case "agent" -> agent = p.getText();
        case "tool" -> tool = p.getText();
        case "model" -> model = p.getText();
        case "usage" -> usage = readUsage(p);
        case "durationMs" -> duration = p.getLongValue();
        case "success" -> success = p.getBooleanValue();
        case "error" -> error = p.getText();
        case "signature" -> signature = p.getText();
        case "attrs" -> attrs = readAttrs(p);
        default -> p.skipChildren(); // written by a newer version: ignore
      }
    }
    if (id == null || source == null || kind == null || ts == null || in == null) {
      throw new JournalFormatException("event lacks id, source, kind or timestamps");
    }
    return Event.builder(kind, source)
        .id(id)
        .ts(ts)
        .ingestedAt(in)
        .machine(machine)
        .sessionId(session)
        .project(project)
        .agentId(agent)
        .tool(tool)
        .model(model)
        .usage(usage)
        .durationMs(duration)
        .success(success)
        .error(error)
        .signature(signature)
        .attrs(attrs)
        .build();
  }

  private static Usage readUsage(JsonParser p) throws IOException {
    long[] v = new long[6];
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (i < v.length) {
        v[i] = p.getLongValue();
      }
      i++;
    }
    return new Usage(v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  private static Map<String, String> readAttrs(JsonParser p) throws IOException {
    Map<String, String> attrs = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      attrs.put(key, p.getText());
    }
    return attrs;
  }

  private static void str(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
