package dev.pipeline.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's requests: a mix of handler types, a few failing on purpose, written as NDJSON (the
 * same format {@code ./pipeline send --file} reads). Deterministic for a given seed.
 */
final class DemoWorkload {

    /** A request body template: type and payload; the weight is how often it appears. */
    private record Kind(String type, String payload, int weight) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("echo", "{\"hello\":\"pipeline\"}", 20),
            new Kind("upper", "\"make me loud\"", 15),
            new Kind("wordcount", "\"the quick brown fox jumps over the lazy dog the end\"", 15),
            new Kind("sha256", "\"hash me\"", 15),
            new Kind("fib", "24", 15),
            new Kind("sleep", "10", 10),
            new Kind("fail", "{\"times\":1}", 3),
            new Kind("fail", "{\"permanent\":true}", 2),
            new Kind("fail", "null", 1));

    private DemoWorkload() {
    }

    /** Writes {@code count} requests over {@code keys} keys to {@code file} and returns it. */
    static Path write(Path file, int count, int keys, long seed) {
        Random random = new Random(seed);
        int total = KINDS.stream().mapToInt(Kind::weight).sum();
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Kind kind = pick(random.nextInt(total));
            lines.add("{\"key\":\"key-" + (i % keys) + "\",\"type\":\"" + kind.type()
                    + "\",\"payload\":" + kind.payload() + "}");
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo workload to " + file, e);
        }
        return file;
    }

    private static Kind pick(int ticket) {
        int seen = 0;
        for (Kind kind : KINDS) {
            seen += kind.weight();
            if (ticket < seen) {
                return kind;
            }
        }
        throw new IllegalStateException("ticket " + ticket + " beyond the weights");
    }
}
