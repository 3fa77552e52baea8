package dev.pipeline.e2e;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

/**
 * Generates, from one seed, records to write straight to the requests topic, past ingest: random
 * bytes of random lengths (empty, small, up to megabyte size), JSON-like garbage, and null values,
 * under random keys (null included) and with random headers; every tenth a valid request under one
 * of the keys the garbage also uses, so that it queues behind garbage in the same partitions.
 *
 * <p>What a processor must make of each record is decided with the project's own reader
 * ({@link Json#readRequest}), as a processor does: what it cannot read as a version-1 request is a
 * dead letter, what it can is answered. Random bytes start with a byte that cannot begin a JSON
 * object, so they are dead letters; some JSON-like garbage (UTF-16, say) is legitimately readable.
 */
final class GarbageRecords {

    /** Keys shared by garbage and valid requests. */
    private static final int SHARED_KEYS = 16;
    /**
     * A value as large as the test's producer sends with its default {@code max.request.size} of
     * 1 MiB, without key or headers: the record fits, a dead letter of it with reason headers does not.
     */
    static final int AT_THE_LIMIT = (1 << 20) - 100;

    /**
     * One record to write; {@code request} is its id when a processor can read it, else null.
     * {@code copyable} is false for the record at the size limit: a copy with the reason headers is
     * more than a producer may send, so its dead letter holds the reason without the bytes.
     */
    record Garbage(int index, String what, byte[] key, byte[] value, List<Header> headers, RequestId request,
                   boolean copyable) {

        boolean deadLetter() {
            return request == null;
        }

        String describe() {
            return "#" + index + " " + what + " [key " + (key == null ? "null" : key.length + " bytes") + ", value "
                    + (value == null ? "null" : value.length + " bytes") + ", " + headers.size() + " headers]";
        }
    }

    private final Random random;

    GarbageRecords(long seed) {
        this.random = new Random(seed);
    }

    /**
     * {@code count} records; two of the random ones are close to a megabyte, one of them so close to
     * the 1 MiB record limit that a dead letter of it, with its reason headers, cannot be larger.
     */
    List<Garbage> records(int count) {
        List<Garbage> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (i % 10 == 9) {
                records.add(validRequest(i));
            } else if (i == count / 3) {
                records.add(garbage(i, "random bytes, about 1 MB", randomBytes(1_000_000 + random.nextInt(10_000))));
            } else if (i == 2 * count / 3) {
                byte[] value = randomBytes(AT_THE_LIMIT);
                records.add(new Garbage(i, "random bytes at the record limit", null, value, List.of(), readableRequest(value), false));
            } else {
                records.add(randomRecord(i));
            }
        }
        return records;
    }

    private Garbage validRequest(int index) {
        String key = "k-" + random.nextInt(SHARED_KEYS);
        Request request = new Request(Request.VERSION, randomId(), "fuzz-kafka", "upper", key,
                JsonNodeFactory.instance.textNode("after garbage " + index), Instant.now(), null);
        return new Garbage(index, "a valid request", key.getBytes(StandardCharsets.UTF_8), Json.toBytes(request), List.of(),
                request.id(), true);
    }

    private Garbage randomRecord(int index) {
        int kind = random.nextInt(100);
        if (kind < 3) {
            return garbage(index, "a null value", null);
        }
        if (kind < 8) {
            return garbage(index, "an empty value", new byte[0]);
        }
        if (kind < 65) {
            int length = switch (random.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> 1 + random.nextInt(64);
                case 5, 6, 7 -> 65 + random.nextInt(4_032);
                default -> 4_097 + random.nextInt(258_047);
            };
            return garbage(index, "random bytes", randomBytes(length));
        }
        return jsonLike(index);
    }

    /** Garbage a JSON parser gets some way into. */
    private Garbage jsonLike(int index) {
        String request = "{\"v\":1,\"id\":\"" + randomId() + "\",\"client\":\"fuzz-kafka\",\"type\":\"echo\",\"payload\":\"x\","
                + "\"submittedAt\":\"2030-01-01T00:00:00Z\"}";
        return switch (random.nextInt(10)) {
            case 0 -> {
                byte[] tail = randomBytes(1 + random.nextInt(200));
                byte[] value = new byte[tail.length + 1];
                value[0] = '{';
                System.arraycopy(tail, 0, value, 1, tail.length);
                yield garbage(index, "'{' and random bytes", value);
            }
            case 1 -> garbage(index, "a truncated request", utf8(request.substring(0, 1 + random.nextInt(request.length() - 1))));
            case 2 -> garbage(index, "version 2", utf8(request.replace("\"v\":1", "\"v\":2")));
            case 3 -> garbage(index, "no id", utf8(request.replaceFirst("\"id\":\"[^\"]+\",", "")));
            case 4 -> garbage(index, "a numeric id", utf8(request.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":42")));
            case 5 -> {
                byte[] value = utf8(request.replace("\"payload\":\"x\"", "\"payload\":\"x#\""));
                value[indexOf(value, (byte) '#')] = (byte) 0xFF;
                yield garbage(index, "a byte that is not UTF-8", value);
            }
            case 6 -> garbage(index, "100,000 x '['", utf8("[".repeat(100_000)));
            case 7 -> garbage(index, "trailing tokens", utf8(request + pick("x", "}", request)));
            case 8 -> garbage(index, "an array of requests", utf8("[" + request + "]"));
            // Jackson detects UTF-16 and UTF-32 in bytes: a processor may read these, which is fine
            default -> garbage(index, "a request in UTF-16 or UTF-32",
                    request.getBytes(Charset.forName(pick("UTF-16", "UTF-16LE", "UTF-32BE"))));
        };
    }

    private Garbage garbage(int index, String what, byte[] value) {
        byte[] key = switch (random.nextInt(10)) {
            case 0, 1 -> null;
            case 2 -> new byte[0];
            case 3, 4, 5, 6 -> ("k-" + random.nextInt(SHARED_KEYS)).getBytes(StandardCharsets.UTF_8);
            default -> randomBytes(1 + random.nextInt(64));
        };
        List<Header> headers = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                String name = pick("traceparent", "request-id", "dlq.error.class", "x-" + random.nextInt(100), "");
                headers.add(new RecordHeader(name, random.nextInt(4) == 0 ? null : randomBytes(random.nextInt(40))));
            }
        }
        return new Garbage(index, what, key, value, List.copyOf(headers), readableRequest(value), true);
    }

    /** The id of the request a processor reads from {@code value}, or null when it reads none. */
    static RequestId readableRequest(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            Request request = Json.readRequest(value);
            return request.v() == Request.VERSION ? request.id() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Random bytes whose first byte cannot begin a JSON object: not '{', not white space, not a
     * byte of a byte-order mark, not NUL (Jackson reads NUL patterns as UTF-16 or UTF-32).
     */
    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0) {
            while (Arrays.asList((byte) '{', (byte) ' ', (byte) '\t', (byte) '\n', (byte) '\r', (byte) 0, (byte) 0xEF,
                    (byte) 0xFE, (byte) 0xFF).contains(bytes[0])) {
                bytes[0] = (byte) random.nextInt(256);
            }
        }
        return bytes;
    }

    /** A random UUID from the seeded generator, so a replay writes the same records. */
    private RequestId randomId() {
        return new RequestId(new UUID(random.nextLong(), random.nextLong()).toString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
