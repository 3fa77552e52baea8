package dev.pipeline.e2e;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.pipeline.core.message.Json;

/**
 * Request bodies for {@link BadInputFuzzIT}, malformed, hostile or valid, each with the status
 * ingest must answer it with. The statuses follow ingest's contract (DESIGN.md and
 * {@code RequestParser}): 400 for what is not one JSON object in UTF-8 within the parser's bounds
 * (nesting 64, numbers 1000 digits, names 50,000 characters), 413 for a body over the limit or a
 * request larger than Kafka takes, 422 for a missing, mistyped or refused field. Unknown fields,
 * {@code v} and {@code submittedAt} are ignored by design: such requests are valid, answered 202,
 * and must get a reply.
 *
 * <p>Draws from the random generator it is given, on the thread that generates a run.
 */
final class BadBodies {

    /** Ingest's default {@code --max-body-bytes}; {@link Services} starts it with the default. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final int ACCEPTED = 202;

    /** The names ingest reads; other names are unknown fields. */
    private static final List<String> KNOWN_FIELDS = List.of("v", "id", "client", "type", "key", "payload", "deadline", "submittedAt");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A body and the status it must get. Its bytes are {@code head}, {@code fill} copies of
     * {@code filler}, then {@code tail}, so that megabyte bodies are built only when sent.
     */
    record Body(String what, int status, byte[] head, int fill, byte filler, byte[] tail) {

        static Body of(String what, int status, byte[] bytes) {
            return new Body(what, status, bytes, 0, (byte) 0, new byte[0]);
        }

        static Body of(String what, int status, String text) {
            return of(what, status, text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            byte[] all = Arrays.copyOf(head, head.length + fill + tail.length);
            Arrays.fill(all, head.length, head.length + fill, filler);
            System.arraycopy(tail, 0, all, head.length + fill, tail.length);
            return all;
        }

        int length() {
            return head.length + fill + tail.length;
        }
    }

    private final Random random;
    private final long seed;
    private int ids;

    BadBodies(Random random, long seed) {
        this.random = random;
        this.seed = seed;
    }

    // ---- valid requests ---------------------------------------------------------------------

    Body valid() {
        ObjectNode request = validObject();
        // pretty-printed now and then: whitespace between tokens is still JSON
        String text = random.nextInt(5) == 0 ? request.toPrettyString() : Json.toString(request);
        return Body.of("valid " + request.get("type").asText(), ACCEPTED, text);
    }

    /** A request ingest accepts: a known type with a payload its handler takes. */
    ObjectNode validObject() {
        ObjectNode request = NODES.objectNode();
        request.put("client", "fuzz-" + random.nextInt(4));
        if (random.nextBoolean()) {
            request.put("key", "k-" + random.nextInt(16));
        }
        String type = pick("echo", "echo", "echo", "upper", "wordcount", "sha256", "sleep", "fib");
        request.put("type", type);
        switch (type) {
            case "upper", "wordcount" -> request.put("payload", text(random.nextInt(40)));
            case "sleep" -> request.put("payload", random.nextInt(6));
            case "fib" -> request.put("payload", random.nextInt(16));
            default -> {
                if (random.nextInt(4) > 0) {
                    request.set("payload", jsonValue(3));
                }
            }
        }
        if (random.nextInt(10) == 0) {
            // a client-supplied id, unique in this run
            request.put("id", "fz." + Long.toHexString(seed) + "." + ids++ + ":" + alnum(1 + random.nextInt(20)));
        }
        return request;
    }

    /** The plainest valid request: ASCII only, no escapes, no whitespace; the base for mutations. */
    private String plain() {
        return "{\"client\":\"fuzz\",\"type\":\"echo\",\"key\":\"k" + random.nextInt(16) + "\",\"payload\":\""
                + alnum(1 + random.nextInt(20)) + "\"}";
    }

    // ---- broken JSON: always 400 ----------------------------------------------------------

    Body brokenJson() {
        String s = plain();
        return switch (random.nextInt(14)) {
            case 0 -> bad400("truncated", s.substring(0, 1 + random.nextInt(s.length() - 1)));
            case 1 -> bad400("trailing tokens", s + pick("x", "}", "]", ",", "{}", s, "null", "//c", "\"", ":1", "/*"));
            case 2 -> bad400("= for :", s.replaceFirst(":", "="));
            case 3 -> {
                // an odd number of quotes: some string never ends
                List<Integer> quotes = new ArrayList<>();
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) == '"') {
                        quotes.add(i);
                    }
                }
                int drop = quotes.get(random.nextInt(quotes.size()));
                yield bad400("a quote missing", s.substring(0, drop) + s.substring(drop + 1));
            }
            case 4 -> bad400("single quotes", s.replace('"', '\''));
            case 5 -> bad400("unquoted names", s.replace("\"client\":", "client:"));
            case 6 -> bad400("trailing comma", s.substring(0, s.length() - 1) + ",}");
            case 7 -> bad400("a comma missing", s.replaceFirst(",", ""));
            case 8 -> bad400("not a JSON number", "{\"client\":\"fuzz\",\"type\":\"echo\",\"payload\":"
                    + pick("NaN", "Infinity", "-Infinity", "01", "0x1F", "+1", ".5", "1.", "1e", "--1", "1_000", "0b1") + "}");
            case 9 -> bad400("a comment", pick("/*c*/" + s, "//c\n" + s, s.replace(",", ",/*c*/")));
            case 10 -> bad400("not an object", pick("[]", "[" + s + "]", "\"" + alnum(5) + "\"", "42", "-0.5e3", "true", "null"));
            case 11 -> bad400("a bad escape", "{\"client\":\"fuzz\",\"type\":\"echo\",\"payload\":\"a"
                    + pick("\\x", "\\u12", "\\U0041", "\\'", "\\a", "\\ ") + "b\"}");
            case 12 -> bad400("not JSON at all", pick("<?xml version=\"1.0\"?><request/>", "GET / HTTP/1.1", "client=fuzz&type=echo",
                    "#" + alnum(1 + random.nextInt(100)), "\\x00", "undefined"));
            default -> bad400("unbalanced", pick(s + "}", "{" + s, s.replace("}", "]"), s.replace("{", "[")));
        };
    }

    // ---- deep nesting: the parser stops at depth 64 ---------------------------------------

    Body deepNesting() {
        int n = pick(65, 100, 1_000, 10_000, 100_000);
        return switch (random.nextInt(5)) {
            case 0 -> bad400(n + " x '['", "[".repeat(n));
            case 1 -> bad400(n + " nested arrays", "[".repeat(n) + "]".repeat(n));
            case 2 -> bad400(n + " nested objects", "{\"a\":".repeat(n) + "1" + "}".repeat(n));
            case 3 -> {
                // the request object is level 1: a payload 64 deep makes 65
                int depth = random.nextBoolean() ? 64 : 64 + random.nextInt(n);
                yield bad400("payload " + depth + " deep", "{\"client\":\"fuzz\",\"type\":\"echo\",\"payload\":" + nested(depth) + "}");
            }
            default -> {
                int depth = random.nextBoolean() ? 63 : 1 + random.nextInt(63);
                yield Body.of("payload " + depth + " deep", ACCEPTED,
                        "{\"client\":\"fuzz\",\"type\":\"" + pick("echo", "sha256") + "\",\"payload\":" + nested(depth) + "}");
            }
        };
    }

    /** {@code depth} nested arrays and objects, innermost an empty array. */
    private String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth - 1; i++) {
            if (random.nextBoolean()) {
                open.append('[');
                close.append(']');
            } else {
                open.append("{\"n\":");
                close.append('}');
            }
        }
        return open + "[]" + close.reverse();
    }

    // ---- huge bodies, strings and numbers --------------------------------------------------

    /** A body too large for ingest or for Kafka, or a huge field, string, number, name or array. */
    Body huge() {
        return switch (random.nextInt(15)) {
            case 0 -> payloadOfSize("over the body limit", 413, MAX_BODY_BYTES + 1 + random.nextInt(MAX_BODY_BYTES));
            // within the body limit, but with the id and submittedAt ingest adds, over Kafka's 1 MiB record limit
            case 1 -> payloadOfSize("just under the body limit, over Kafka's", 413, MAX_BODY_BYTES - random.nextInt(40));
            case 2 -> payloadOfSize("a huge payload string", ACCEPTED, 800_000 + random.nextInt(200_000));
            case 3 -> field("client", alnum(257 + random.nextInt(100_000)), 422);
            case 4 -> field("key", alnum(1_025 + random.nextInt(100_000)), 422);
            case 5 -> field("id", alnum(129 + random.nextInt(10_000)), 422);
            case 6 -> field("type", alnum(10 + random.nextInt(100_000)), 422);
            case 7 -> field("deadline", alnum(65 + random.nextInt(10_000)), 422);
            case 8 -> bad400("a number over 1000 digits", "{\"client\":\"fuzz\",\"type\":\"echo\",\"payload\":"
                    + digits(1_001 + random.nextInt(20_000)) + "}");
            case 9 -> Body.of("a number up to 1000 digits", ACCEPTED, "{\"client\":\"fuzz\",\"type\":\"echo\",\"payload\":"
                    + digits(1 + random.nextInt(1_000)) + "}");
            case 10 -> bad400("a field name over 50,000 characters", "{\"client\":\"fuzz\",\"type\":\"echo\",\""
                    + alnum(50_001 + random.nextInt(150_000)) + "\":1}");
            case 11 -> Body.of("a long unknown field name", ACCEPTED, "{\"client\":\"fuzz\",\"type\":\"echo\",\""
                    + alnum(1 + random.nextInt(50_000)) + "\":1}");
            case 12 -> {
                int fields = 1_000 + random.nextInt(30_000);
                StringBuilder text = new StringBuilder("{\"client\":\"fuzz\",\"type\":\"echo\"");
                for (int i = 0; i < fields; i++) {
                    text.append(",\"f").append(i).append("\":").append(i);
                }
                yield Body.of(fields + " unknown fields", ACCEPTED, text.append('}').toString());
            }
            // valid, but wordcount's answer has the word as a field name, over the readers' 50,000
            case 13 -> Body.of("wordcount of a word over 50,000 letters", ACCEPTED,
                    "{\"client\":\"fuzz\",\"type\":\"wordcount\",\"payload\":\"" + alnum(50_001 + random.nextInt(150_000)) + "\"}");
            default -> {
                int elements = 10_000 + random.nextInt(300_000);
                yield new Body("an array payload of " + elements + " elements", ACCEPTED,
                        ("{\"client\":\"fuzz\",\"type\":\"" + pick("echo", "sha256") + "\",\"payload\":[1").getBytes(StandardCharsets.UTF_8),
                        0, (byte) 0, (",1".repeat(elements - 1) + "]}").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /** A valid request whose string payload makes the body exactly {@code size} bytes. */
    Body payloadOfSize(String what, int status, int size) {
        byte[] head = ("{\"client\":\"fuzz\",\"type\":\"" + pick("echo", "upper", "wordcount", "sha256") + "\",\"payload\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        return new Body(what + " (" + size + " bytes)", status, head, size - head.length - tail.length,
                (byte) (char) pick('x', 'y', ' '), tail);
    }

    private Body field(String name, String value, int status) {
        ObjectNode request = validObject();
        request.put(name, value);
        return Body.of(name + " of " + value.length() + " characters", status, Json.toString(request));
    }

    // ---- wrong types and values for each field ---------------------------------------------

    Body wrongType() {
        ObjectNode request = validObject();
        request.remove("id");
        String field = pick(KNOWN_FIELDS.toArray(String[]::new));
        JsonNode wrong = nonString();
        int status = 422;
        String what;
        switch (field) {
            case "v", "submittedAt" -> {
                // the service sets these itself: whatever the client sends is ignored
                JsonNode value = random.nextBoolean() ? wrong : NODES.textNode(text(random.nextInt(20)));
                request.set(field, value);
                status = ACCEPTED;
                what = field + " = " + value + " (ignored)";
            }
            case "id" -> {
                JsonNode value = switch (random.nextInt(3)) {
                    case 0 -> wrong;
                    case 1 -> NODES.textNode(pick("", " ", "a b", "a/b", "\u00e9t\u00e9", "x".repeat(129), "id\u0000",
                            "../../etc/passwd", "<script>", "1;DROP TABLE replies", "\ud83d\ude00"));
                    default -> NODES.nullNode();
                };
                request.set("id", value);
                status = value.isNull() ? ACCEPTED : 422;
                what = "id = " + value;
            }
            case "client", "type" -> {
                JsonNode value = switch (random.nextInt(3)) {
                    case 0 -> wrong;
                    case 1 -> NODES.nullNode();
                    default -> NODES.textNode(field.equals("client") ? pick("", " ", "\t")
                            : pick("", "ECHO", "Echo", "echo ", " echo", "no-such-type", "sleep\u200b", "fail;", "../echo"));
                };
                request.set(field, value);
                what = field + " = " + value;
            }
            case "key" -> {
                JsonNode value = switch (random.nextInt(3)) {
                    case 0, 1 -> wrong;
                    default -> random.nextBoolean() ? NODES.nullNode() : NODES.textNode("");
                };
                request.set("key", value);
                status = value.isNull() || value.isTextual() ? ACCEPTED : 422;
                what = "key = " + value;
            }
            case "payload" -> {
                String type = pick("upper", "wordcount", "sleep", "fib");
                JsonNode value = switch (type) {
                    case "upper", "wordcount" -> random.nextInt(4) == 0 ? NODES.nullNode() : wrong;
                    case "sleep" -> pick(NODES.numberNode(-1), NODES.numberNode(60_001), NODES.numberNode(1.5),
                            NODES.numberNode(1000.0), NODES.textNode("5"), NODES.booleanNode(true), NODES.arrayNode(),
                            NODES.nullNode(), NODES.numberNode(2_147_483_648L));
                    default -> pick(NODES.numberNode(-1), NODES.numberNode(41), NODES.numberNode(1.5), NODES.textNode("5"),
                            NODES.booleanNode(false), NODES.nullNode(), NODES.numberNode(Long.MAX_VALUE), NODES.objectNode());
                };
                request.put("type", type);
                request.set("payload", value);
                what = type + " payload = " + value;
            }
            default -> {
                int kind = random.nextInt(4);
                JsonNode value = switch (kind) {
                    case 0 -> wrong;
                    case 1 -> NODES.textNode(pick("tomorrow", "2030-01-01", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z",
                            "1700000000", "", "2030-01-01 00:00:00Z", "now"));
                    case 2 -> NODES.nullNode();
                    // a deadline long past (the reply says expired) or far ahead: valid either way
                    default -> NODES.textNode(pick("2000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2099-12-31T23:59:59.999999999Z"));
                };
                request.set("deadline", value);
                status = kind >= 2 ? ACCEPTED : 422;
                what = "deadline = " + value;
            }
        }
        return Body.of(what, status, Json.toString(request));
    }

    /** A JSON value that is not a string and not null. */
    private JsonNode nonString() {
        ArrayNode array = NODES.arrayNode().add(1).add("a");
        return pick(NODES.numberNode(42), NODES.numberNode(-1), NODES.numberNode(1.5), NODES.booleanNode(true),
                NODES.booleanNode(false), NODES.arrayNode(), array, NODES.objectNode(), NODES.objectNode().put("a", 1),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")));
    }

    // ---- bytes that are not UTF-8 ----------------------------------------------------------

    private static final byte[][] NOT_UTF8 = {
            {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0x80},
            {(byte) 0xBF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    };

    Body invalidUtf8() {
        String s = plain();
        return switch (random.nextInt(4)) {
            case 0, 1 -> {
                // the plain request is ASCII, so what follows a broken sequence never completes it
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
                int at = 1 + random.nextInt(bytes.length - 1);
                byte[] body = new byte[bytes.length + bad.length];
                System.arraycopy(bytes, 0, body, 0, at);
                System.arraycopy(bad, 0, body, at, bad.length);
                System.arraycopy(bytes, at, body, at + bad.length, bytes.length - at);
                yield Body.of("not UTF-8 at byte " + at, 400, body);
            }
            case 2 -> {
                Charset charset = Charset.forName(pick("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE"));
                yield Body.of("encoded as " + charset, 400, s.getBytes(charset));
            }
            default -> Body.of("Latin-1 text", 400, s.replace("fuzz", "fu\u00e9z").getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    // ---- control characters ----------------------------------------------------------------

    Body controlChars() {
        char raw = (char) random.nextInt(0x20);
        return switch (random.nextInt(6)) {
            // JSON has no unescaped control characters in strings
            case 0 -> bad400("raw control 0x" + Integer.toHexString(raw) + " in a string",
                    "{\"client\":\"fuzz\",\"type\":\"echo\",\"" + pick("key\":\"a", "payload\":\"a") + raw + "b\"}");
            // and between tokens only space, tab, CR and LF
            case 1 -> {
                char between = pick('\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f');
                yield bad400("raw control 0x" + Integer.toHexString(between) + " between tokens",
                        "{\"client\":\"fuzz\"," + between + "\"type\":\"echo\"}");
            }
            // names travel into keys, logs and stores: ingest refuses control characters in them
            case 2 -> {
                ObjectNode request = validObject();
                String field = pick("client", "type", "key", "id", "deadline");
                request.put(field, "a" + control() + "b");
                yield Body.of("control character in " + field, 422, Json.toString(request));
            }
            // a payload is the handler's business: any JSON string is fine
            case 3, 4 -> {
                ObjectNode request = validObject();
                String type = pick("echo", "upper", "wordcount", "sha256");
                request.put("type", type);
                request.put("payload", text(5) + control() + text(5) + control());
                yield Body.of("control characters in a " + type + " payload", ACCEPTED, Json.toString(request));
            }
            default -> {
                ObjectNode request = validObject();
                request.put("x" + control(), "y" + control());
                yield Body.of("control characters in an unknown field", ACCEPTED, Json.toString(request));
            }
        };
    }

    /** A control character as Java sees it: C0 (escaped by the JSON writer), DEL or C1 (written raw). */
    private char control() {
        return switch (random.nextInt(3)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> '\u007f';
            default -> (char) (0x80 + random.nextInt(0x20));
        };
    }

    // ---- unknown fields: ignored, so the request is valid -----------------------------------

    Body unknownFields() {
        ObjectNode request = validObject();
        int fields = 1 + random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            String name = pick("extra", "x-" + alnum(8), "__proto__", "constructor", "@type", "@class", "$where", "class",
                    "V", "ID", "Client", "payload ", "", "\u65e5\u672c", "\ud83d\ude00", "\u0000", "submitted_at", "prototype");
            JsonNode value = name.startsWith("@") ? NODES.textNode(pick("java.lang.Runtime", "java.net.URL",
                    "com.sun.rowset.JdbcRowSetImpl")) : jsonValue(3);
            request.set(name, value);
        }
        String text = Json.toString(request);
        return Body.of("unknown fields " + text.substring(0, Math.min(120, text.length())), ACCEPTED, text);
    }

    // ---- building blocks ----------------------------------------------------------------------

    private static Body bad400(String what, String text) {
        return Body.of(what, 400, text);
    }

    /** Any JSON value, up to {@code depth} levels of arrays and objects, with awkward strings and numbers. */
    private JsonNode jsonValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(pick(0.0, -0.0, 1e-300, 1.7976931348623157e308, random.nextDouble()));
            case 4 -> NODES.numberNode(new BigInteger(digits(1 + random.nextInt(60))));
            case 5, 6 -> NODES.textNode(text(random.nextInt(30)));
            case 7 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(jsonValue(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(text(1 + random.nextInt(8)), jsonValue(depth - 1));
                }
                yield object;
            }
        };
    }

    private static final String[] TEXT_PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\u00e9", "\u00df", "\u65e5", "\u05d0",
            "\ud83d\ude00", "\u200b", "\ufffd", "\ufeff", "<", "&", "'", "%s", "${x}", "\u2028"};

    /** Text with quotes, backslashes, accents, CJK, RTL, emoji and invisible characters; never a control character. */
    private String text(int pieces) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            text.append(TEXT_PIECES[random.nextInt(TEXT_PIECES.length)]);
        }
        return text.toString();
    }

    private String alnum(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    private String digits(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('0' + random.nextInt(10));
        }
        if (length > 1 && chars[0] == '0') {
            chars[0] = '1'; // no leading zero: that would be malformed for another reason
        }
        return new String(chars);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
