package dev.loopwatch.daemon.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.journal.JournalBatch;
import dev.loopwatch.daemon.store.query.CostGrouping;
import dev.loopwatch.daemon.store.query.CostQuery;
import dev.loopwatch.daemon.store.query.CostReport;
import dev.loopwatch.daemon.store.query.CostRow;
import dev.loopwatch.daemon.store.query.ProjectDigest;
import dev.loopwatch.daemon.store.query.SessionDetail;
import dev.loopwatch.daemon.store.query.SessionQuery;
import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.Protocol.ErrorCode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request line: decodes it, runs the op, encodes the response. Every failure becomes an
 * error response with a code and a message (stack traces stay in the daemon's log); nothing a client
 * sends can stop the daemon.
 */
public final class RequestDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  /** Below the client's shortest hook deadline (300 ms): a busy journal never holds a hook's thread long. */
  private static final Duration HOOK_COMMIT_WAIT = Duration.ofMillis(200);
  private static final Duration REBUILD_WAIT = Duration.ofHours(1);

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // a line is one JSON value: `{"op":"ping"} {"op":"rebuild"}` or `{...} junk` is not a request
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private final DaemonView daemon;
  private final Clock clock;

  public RequestDispatcher(DaemonView daemon, Clock clock) {
    this.daemon = daemon;
    this.clock = clock;
  }

  /** One request line in, one response line out (without newline). */
  public String handle(String line) {
    JsonNode request;
    try {
      request = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return error(null, ErrorCode.BAD_JSON, "not JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return error(null, ErrorCode.BAD_JSON, "a request is a JSON object");
    }
    JsonNode idNode = request.get("id");
    String id = idNode == null || idNode.isNull() ? null : idNode.asText();
    JsonNode v = request.get("v");
    if (v != null && !(v.isIntegralNumber() && v.asInt() == Protocol.VERSION)) {
      return error(id, ErrorCode.BAD_VERSION, "protocol version " + v + " is not supported; this daemon speaks " + Protocol.VERSION);
    }
    JsonNode op = request.get("op");
    if (op == null || !op.isTextual()) {
      return error(id, ErrorCode.BAD_ARGS, "op: required, one of " + Protocol.OPS);
    }
    try {
      Args args = new Args(request.get("args"));
      JsonNode result = run(op.asText(), args);
      ObjectNode response = JSON.createObjectNode();
      response.put("v", Protocol.VERSION);
      response.put("id", id);
      response.put("ok", true);
      response.set("result", result);
      return JSON.writeValueAsString(response);
    } catch (RequestException e) {
      return error(id, e.code(), e.getMessage());
    } catch (SQLException e) {
      log.warn("server - {} failed: {}", op.asText(), e.toString());
      return error(id, ErrorCode.UNAVAILABLE, "the store could not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(id, ErrorCode.UNAVAILABLE, "the daemon is stopping");
    } catch (JsonProcessingException | RuntimeException e) {
      log.error("server - {} failed", op.asText(), e);
      return error(id, ErrorCode.INTERNAL, e.toString());
    }
  }

  private JsonNode run(String op, Args args) throws RequestException, SQLException, InterruptedException {
    return switch (op) {
      case "ping" -> ping(args);
      case "status" -> status(args);
      case "sessions" -> fromStore(sessions(args));
      case "session" -> fromStore(session(args));
      case "cost" -> fromStore(cost(args));
      case "tools" -> fromStore(tools(args));
      case "failures" -> fromStore(failures(args));
      case "files" -> fromStore(files(args));
      case "rebuild" -> rebuild(args);
      case "hook" -> hook(args);
      default -> throw new RequestException(ErrorCode.UNKNOWN_OP, "unknown op '" + op + "'; known: " + Protocol.OPS);
    };
  }

  /** An answer read from the store says so while the store lacks part of the history (see Backfill). */
  private JsonNode fromStore(JsonNode answer) {
    Backfill b = daemon.backfill();
    if (b != null && answer instanceof ObjectNode o) {
      o.set("backfill", JSON.valueToTree(b));
    }
    return answer;
  }

  private JsonNode ping(Args args) throws RequestException {
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    n.put("pong", true);
    n.put("version", daemon.version());
    n.put("protocol", Protocol.VERSION);
    n.put("pid", ProcessHandle.current().pid());
    return n;
  }

  private JsonNode status(Args args) throws RequestException {
    args.noOthers();
    return JSON.valueToTree(daemon.status());
  }

  private JsonNode sessions(Args args) throws RequestException, SQLException {
    ZoneId zone = args.zone("timezone", ZoneId.systemDefault());
    SessionQuery q =
        new SessionQuery(
            args.string("project"), args.date("since"), args.date("until"), outcome(args.string("outcome")), zone,
            args.integer("limit", 20, 1, 10_000));
    checkRange(q.since(), q.until());
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    n.set("sessions", JSON.valueToTree(daemon.queries().sessions(q)));
    return n;
  }

  private JsonNode session(Args args) throws RequestException, SQLException {
    String id = args.required("id");
    args.noOthers();
    SessionDetail d = daemon.queries().session(id);
    if (d == null) {
      throw new RequestException(ErrorCode.NOT_FOUND, "no session '" + id + "' (or the prefix is not unique)");
    }
    return JSON.valueToTree(d);
  }

  private JsonNode cost(Args args) throws RequestException, SQLException {
    String by = args.string("by");
    CostGrouping grouping = by == null ? null : CostGrouping.parse(by.toLowerCase(Locale.ROOT));
    if (by != null && grouping == null) {
      throw new RequestException(ErrorCode.BAD_ARGS, "by: expected day, week, month, session, project, model or agent");
    }
    ZoneId zone = args.zone("timezone", ZoneId.systemDefault());
    LocalDate since = args.date("since");
    LocalDate until = args.date("until");
    // before the query is built: CostQuery refuses a reversed range with an IllegalArgumentException
    checkRange(since, until);
    CostQuery q = new CostQuery(grouping, since, until, zone, args.string("project"));
    args.noOthers();
    return costJson(daemon.queries().cost(q));
  }

  /** ccusage's field names for totals and rows; each row also names its group ("day": "2026-02-12"). */
  static JsonNode costJson(CostReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("groupBy", r.groupBy());
    n.put("timezone", r.timezone());
    n.put("since", r.since());
    n.put("until", r.until());
    n.set("totals", JSON.valueToTree(r.totals()));
    ArrayNode rows = n.putArray("rows");
    for (CostRow row : r.rows()) {
      ObjectNode o = rows.addObject();
      o.put("key", row.key());
      o.put(r.groupBy(), row.key());
      o.setAll((ObjectNode) JSON.valueToTree(row.usage()));
      o.set("models", JSON.valueToTree(row.models()));
    }
    n.set("unknownModels", JSON.valueToTree(r.unknownModels()));
    return n;
  }

  private JsonNode tools(Args args) throws RequestException, SQLException {
    ZoneId zone = args.zone("timezone", ZoneId.systemDefault());
    var since = args.date("since");
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    n.set("tools", JSON.valueToTree(daemon.queries().tools(since, zone)));
    return n;
  }

  private JsonNode failures(Args args) throws RequestException, SQLException {
    ZoneId zone = args.zone("timezone", ZoneId.systemDefault());
    var since = args.date("since");
    int limit = args.integer("limit", 20, 1, 10_000);
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    n.set("failures", JSON.valueToTree(daemon.queries().failures(since, zone, limit)));
    return n;
  }

  private JsonNode files(Args args) throws RequestException, SQLException {
    ZoneId zone = args.zone("timezone", ZoneId.systemDefault());
    var since = args.date("since");
    String project = args.string("project");
    int limit = args.integer("limit", 20, 1, 10_000);
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    n.set("files", JSON.valueToTree(daemon.queries().hotFiles(since, zone, project, limit)));
    return n;
  }

  private JsonNode rebuild(Args args) throws RequestException, InterruptedException {
    args.noOthers();
    long t0 = System.nanoTime();
    try {
      long events = daemon.rebuild().get(REBUILD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      ObjectNode n = JSON.createObjectNode();
      n.put("events", events);
      n.put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      return n;
    } catch (ExecutionException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "rebuild did not finish: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "rebuild is still running after " + REBUILD_WAIT);
    }
  }

  /**
   * A hook payload: journaled as events (so it survives like everything else); for SessionStart the
   * answer carries the context block for the new session.
   */
  private JsonNode hook(Args args) throws RequestException, SQLException, InterruptedException {
    JsonNode payload = args.node("payload");
    String raw = args.string("raw");
    args.noOthers();
    ObjectNode n = JSON.createObjectNode();
    if (payload == null || !payload.isObject()) {
      // Not a hook payload (garbage on the hook's stdin): recorded, so the user can see what arrived.
      daemon.deadLetter("hook", raw == null ? String.valueOf(payload) : raw, "hook payload is not a JSON object");
      n.put("context", "");
      return n;
    }
    Instant now = clock.instant();
    List<Event> events = HookEvents.from(payload, now, daemon.machine());
    JournalBatch batch = JournalBatch.of(List.of(), events);
    daemon.append(batch);
    try {
      batch.committed().get(HOOK_COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "the journal refused the hook event: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      // queued; the journal writer is busy (a backfill): it will be written, no need to hold the hook
    }
    String context = "";
    if ("SessionStart".equals(payload.path("hook_event_name").asText()) && payload.hasNonNull("cwd")) {
      ProjectDigest digest =
          daemon.queries()
              .projectDigest(payload.get("cwd").asText(), payload.path("session_id").asText(null), now.minus(Duration.ofDays(7)), 3);
      context = ContextBlock.render(digest, ZoneId.systemDefault(), daemon.maxContextChars());
    }
    n.put("context", context);
    return n;
  }

  private static String outcome(String s) throws RequestException {
    if (s == null) {
      return null;
    }
    String u = s.toUpperCase(Locale.ROOT);
    if (!List.of("SUCCESS", "PARTIAL", "BLOCKED", "FAILED").contains(u)) {
      throw new RequestException(ErrorCode.BAD_ARGS, "outcome: expected success, partial, blocked or failed");
    }
    return u;
  }

  private static void checkRange(LocalDate since, LocalDate until) throws RequestException {
    if (since != null && until != null && until.isBefore(since)) {
      throw new RequestException(ErrorCode.BAD_ARGS, "until: " + until + " is before since " + since);
    }
  }

  static String error(String id, ErrorCode code, String message) {
    ObjectNode response = JSON.createObjectNode();
    response.put("v", Protocol.VERSION);
    response.put("id", id);
    response.put("ok", false);
    ObjectNode e = response.putObject("error");
    e.put("code", code.name());
    e.put("message", message);
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("an error response always serializes", ex);
    }
  }
}
