package dev.loopwatch.daemon.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One normalized thing that happened, as journaled (DESIGN §5). Immutable; {@code id} is stable across
 * re-reads of the same source data (see {@link EventIds}). Optional fields are {@code null} when the
 * source does not say.
 *
 * <p>Well-known attribute keys: {@code msgId}/{@code reqId} (the API request dedupe key of
 * {@link EventKind#API_USAGE}), {@code toolUseId}, {@code uuid}, {@code cwd}, {@code sidechain},
 * {@code origin} (which copy of a request: {@code main}, {@code subagent}, {@code progress}).
 */
public record Event(
    String id,
    Instant ts,
    Instant ingestedAt,
    String machine,
    String source,
    EventKind kind,
    String sessionId,
    String project,
    String agentId,
    String tool,
    String model,
    Usage usage,
    Long durationMs,
    Boolean success,
    String error,
    String signature,
    Map<String, String> attrs) {

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    attrs = attrs == null || attrs.isEmpty() ? Map.of() : Map.copyOf(attrs);
  }

  public String attr(String key) {
    return attrs.get(key);
  }

  public static Builder builder(EventKind kind, String source) {
    return new Builder(kind, source);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kind, source);
    b.id = id;
    b.ts = ts;
    b.ingestedAt = ingestedAt;
    b.machine = machine;
    b.sessionId = sessionId;
    b.project = project;
    b.agentId = agentId;
    b.tool = tool;
    b.model = model;
    b.usage = usage;
    b.durationMs = durationMs;
    b.success = success;
    b.error = error;
    b.signature = signature;
    b.attrs.putAll(attrs);
    return b;
  }

  /** Parsers build events field by field; most fields are optional. */
  public static final class Builder {
    private final EventKind kind;
    private final String source;
    private String id;
    private Instant ts;
    private Instant ingestedAt;
    private String machine;
    private String sessionId;
    private String project;
    private String agentId;
    private String tool;
    private String model;
    private Usage usage;
    private Long durationMs;
    private Boolean success;
    private String error;
    private String signature;
    private final Map<String, String> attrs = new TreeMap<>();

    private Builder(EventKind kind, String source) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.source = Objects.requireNonNull(source, "source");
    }

    public EventKind kind() {
      return kind;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public boolean hasTs() {
      return ts != null;
    }

    public Builder ts(Instant v) {
      ts = v;
      return this;
    }

    public Builder ingestedAt(Instant v) {
      ingestedAt = v;
      return this;
    }

    public Builder machine(String v) {
      machine = v;
      return this;
    }

    public Builder sessionId(String v) {
      sessionId = v;
      return this;
    }

    public Builder project(String v) {
      project = v;
      return this;
    }

    public Builder agentId(String v) {
      agentId = v;
      return this;
    }

    public Builder tool(String v) {
      tool = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder usage(Usage v) {
      usage = v;
      return this;
    }

    public Builder durationMs(Long v) {
      durationMs = v;
      return this;
    }

    public Builder success(Boolean v) {
      success = v;
      return this;
    }

    public Builder error(String v) {
      error = v;
      return this;
    }

    public Builder signature(String v) {
      signature = v;
      return this;
    }

    /** Adds an attribute; {@code null} values are skipped so callers need not check. */
    public Builder attr(String key, String value) {
      if (value != null) {
        attrs.put(key, value);
      }
      return this;
    }

    public Builder attrs(Map<String, String> values) {
      values.forEach(this::attr);
      return this;
    }

    public Event build() {
      return new Event(
          id, ts, ingestedAt, machine, source, kind, sessionId, project, agentId, tool, model, usage,
          durationMs, success, error, signature, attrs);
    }
  }
}
