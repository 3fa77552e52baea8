package dev.pipeline.e2e;

import static dev.pipeline.e2e.BadBodies.ACCEPTED;
import static dev.pipeline.e2e.BadBodies.MAX_BODY_BYTES;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.pipeline.core.message.Json;
import dev.pipeline.e2e.BadBodies.Body;

/**
 * Generates, from one seed, the HTTP requests of {@link BadInputFuzzIT}: bodies from
 * {@link BadBodies} sent to {@code POST /v1/requests}, chunked or after
 * {@code Expect: 100-continue} too, NDJSON batches mixing good and bad lines, wrong media types,
 * empty bodies, other methods and paths; each with the answer ingest must give (415 for a wrong
 * media type, 404 and 405 for the wrong door, 200 and a result per line for a batch).
 *
 * <p>Not thread-safe: one generator per run, on one thread. The bodies of the largest cases are
 * built only when sent, so thousands of cases do not sit in memory.
 */
final class BadRequests {

    static final String REQUESTS = "/v1/requests";
    static final String BATCH = "/v1/requests/batch";
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    /** The status of a batch answer; its lines carry their own. */
    static final int BATCH_ANSWERED = 200;

    enum Category {
        VALID, BROKEN_JSON, DEEP_NESTING, HUGE, WRONG_TYPE, INVALID_UTF8, CONTROL_CHARS, UNKNOWN_FIELDS,
        MEDIA_TYPE, EMPTY, BATCH, WRONG_DOOR
    }

    /** How the body travels: with a Content-Length, chunked, or after {@code Expect: 100-continue}. */
    enum Transfer { LENGTH, CHUNKED, EXPECT_CONTINUE }

    /** A batch line that must be answered with {@code status}; line numbers count blank lines too. */
    record Line(int number, int status) {
    }

    /**
     * One HTTP request and its expected answer: {@code status}, and for an answered batch the
     * result of each non-blank line.
     */
    record Case(int index, Category category, String method, String path, String contentType, Transfer transfer,
                Body body, int status, List<Line> lines) {

        String describe() {
            return "#" + index + " " + category + " " + method + " " + path + " [" + contentType + ", " + transfer + ", "
                    + body.length() + " bytes] " + body.what() + " -> expected " + status;
        }
    }

    private final Random random;
    private final BadBodies bodies;
    private int next;

    BadRequests(long seed) {
        this.random = new Random(seed);
        this.bodies = new BadBodies(random, seed);
    }

    /** {@code count} cases; every {@code validEvery}-th one a valid request. */
    List<Case> cases(int count, int validEvery) {
        List<Case> cases = new ArrayList<>(count);
        Category[] bad = Arrays.stream(Category.values()).filter(c -> c != Category.VALID).toArray(Category[]::new);
        for (int i = 0; i < count; i++) {
            Category category = i % validEvery == validEvery - 1 ? Category.VALID : bad[random.nextInt(bad.length)];
            cases.add(generate(category));
        }
        return cases;
    }

    private Case generate(Category category) {
        int index = next++;
        return switch (category) {
            case VALID -> single(index, category, bodies.valid());
            case BROKEN_JSON -> single(index, category, bodies.brokenJson());
            case DEEP_NESTING -> single(index, category, bodies.deepNesting());
            case HUGE -> huge(index);
            case WRONG_TYPE -> single(index, category, bodies.wrongType());
            case INVALID_UTF8 -> single(index, category, bodies.invalidUtf8());
            case CONTROL_CHARS -> single(index, category, bodies.controlChars());
            case UNKNOWN_FIELDS -> single(index, category, bodies.unknownFields());
            case MEDIA_TYPE -> mediaType(index);
            case EMPTY -> empty(index);
            case BATCH -> batch(index);
            case WRONG_DOOR -> wrongDoor(index);
        };
    }

    private static Case single(int index, Category category, Body body) {
        return new Case(index, category, "POST", REQUESTS, JSON, Transfer.LENGTH, body, body.status(), List.of());
    }

    private Case huge(int index) {
        Transfer transfer = Transfer.LENGTH;
        Body body = switch (random.nextInt(20)) {
            case 0 -> {
                transfer = Transfer.CHUNKED;
                yield bodies.payloadOfSize("over the body limit, chunked", 413, MAX_BODY_BYTES + 1 + random.nextInt(MAX_BODY_BYTES));
            }
            case 1 -> {
                // a client that asks first is told 413 without sending 9-16 MiB
                transfer = Transfer.EXPECT_CONTINUE;
                yield bodies.payloadOfSize("far over the limit, Expect: 100-continue", 413, (9 << 20) + random.nextInt(7 << 20));
            }
            default -> bodies.huge();
        };
        return new Case(index, Category.HUGE, "POST", REQUESTS, JSON, transfer, body, body.status(), List.of());
    }

    // ---- media types ------------------------------------------------------------------------

    private Case mediaType(int index) {
        Body body = bodies.valid();
        return switch (random.nextInt(5)) {
            case 0, 1 -> {
                String type = pick(null, "", "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=xyz", NDJSON, "application/json; charset=ISO-8859-1",
                        "application/json; charset=utf-16", "application/jsonx", "application/problem+json", "*/*",
                        "application/*", "json", "application/json, text/plain");
                yield new Case(index, Category.MEDIA_TYPE, "POST", REQUESTS, type, Transfer.LENGTH, body, 415, List.of());
            }
            case 2 -> {
                String type = pick("application/json; charset=utf-8", "application/json;charset=UTF-8", "APPLICATION/JSON",
                        "Application/Json; charset=\"utf-8\"", "application/json;", "application/json; foo=bar");
                yield new Case(index, Category.MEDIA_TYPE, "POST", REQUESTS, type, Transfer.LENGTH, body, ACCEPTED, List.of());
            }
            case 3 -> new Case(index, Category.MEDIA_TYPE, "POST", BATCH, pick(null, JSON, "text/plain", "application/ndjson"),
                    Transfer.LENGTH, body, 415, List.of());
            // one compact line: a pretty-printed body would be several lines
            default -> new Case(index, Category.MEDIA_TYPE, "POST", BATCH, "application/x-ndjson; charset=utf-8",
                    Transfer.LENGTH, Body.of("one valid line", BATCH_ANSWERED, Json.toString(bodies.validObject())), BATCH_ANSWERED,
                    List.of(new Line(1, ACCEPTED)));
        };
    }

    // ---- empty bodies -----------------------------------------------------------------------

    private Case empty(int index) {
        String text = pick("", " ", "\n", "\r\n\t ", "\t\t");
        boolean batch = random.nextInt(3) == 0;
        return new Case(index, Category.EMPTY, "POST", batch ? BATCH : REQUESTS, batch ? NDJSON : JSON, Transfer.LENGTH,
                Body.of("blank body", 400, text), 400, List.of());
    }

    // ---- NDJSON batches: one result per line -------------------------------------------------

    private Case batch(int index) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            Body body = bodies.payloadOfSize("a batch over the body limit", 413, MAX_BODY_BYTES + 1 + random.nextInt(1 << 16));
            return new Case(index, Category.BATCH, "POST", BATCH, NDJSON, Transfer.LENGTH, body, 413, List.of());
        }
        if (kind == 1) {
            String text = pick("\n\n", " \n\t\n\r\n", "\r\n");
            return new Case(index, Category.BATCH, "POST", BATCH, NDJSON, Transfer.LENGTH, Body.of("a batch of blank lines", 400, text),
                    400, List.of());
        }
        String newline = random.nextInt(4) == 0 ? "\r\n" : "\n";
        int count = 1 + random.nextInt(25);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (int i = 0; i < count && text.size() < 600_000; i++) {
            if (random.nextInt(8) == 0) {
                number++;
                text.writeBytes(pick("", " ", "\t ").getBytes(StandardCharsets.UTF_8));
                text.writeBytes(newline.getBytes(StandardCharsets.UTF_8));
            }
            Body line = batchLine();
            number++;
            lines.add(new Line(number, line.status()));
            text.writeBytes(line.bytes());
            if (i < count - 1 || random.nextBoolean()) {
                text.writeBytes(newline.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Case(index, Category.BATCH, "POST", BATCH, NDJSON, Transfer.LENGTH,
                Body.of(lines.size() + " lines", BATCH_ANSWERED, text.toByteArray()), BATCH_ANSWERED, List.copyOf(lines));
    }

    /** A line for a batch: any single body that holds no line break and is not blank. */
    private Body batchLine() {
        while (true) {
            Body body = switch (random.nextInt(8)) {
                case 0, 1, 2 -> Body.of("valid", ACCEPTED, Json.toString(bodies.validObject()));
                case 3 -> bodies.brokenJson();
                case 4 -> bodies.wrongType();
                case 5 -> bodies.invalidUtf8();
                case 6 -> bodies.controlChars();
                default -> random.nextBoolean() ? bodies.deepNesting() : bodies.unknownFields();
            };
            byte[] bytes = body.bytes();
            boolean blank = true;
            boolean breaks = false;
            for (byte b : bytes) {
                blank &= b == ' ' || b == '\t';
                breaks |= b == '\n' || b == '\r';
            }
            if (!blank && !breaks && bytes.length <= 150_000) {
                return body;
            }
        }
    }

    // ---- other methods and paths ------------------------------------------------------------

    private Case wrongDoor(int index) {
        Body body = bodies.valid();
        record Door(String method, String path, int status) {
        }
        Door door = pick(new Door("GET", REQUESTS, 405), new Door("PUT", REQUESTS, 405), new Door("DELETE", REQUESTS, 405),
                new Door("PATCH", BATCH, 405), new Door("GET", BATCH, 405), new Door("POST", "/v1/request", 404),
                new Door("POST", BATCH + "/extra", 404), new Door("POST", "/v1/replies", 404), new Door("POST", "/v2/requests", 404),
                new Door("POST", "/", 404), new Door("POST", "/health/live", 405));
        Body sent = door.method().equals("GET") || door.method().equals("DELETE") ? Body.of("no body", door.status(), "") : body;
        return new Case(index, Category.WRONG_DOOR, door.method(), door.path(), JSON, Transfer.LENGTH, sent, door.status(), List.of());
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
