package dev.pipeline.cli.check;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaOptions;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.runtime.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline check}: the offline checker, against any stack that is idle. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        header = "Check a pipeline's data: nothing lost, nothing duplicated, order kept.",
        description = {
            "Reads the requests topic, the replies topic (read_committed, and read_uncommitted to",
            "find replies of aborted transactions), the DLQ and the reply store, and counts:",
            "lost requests (no reply, no dead letter), duplicate replies for one request record,",
            "duplicate store rows, per-key order violations, store rows missing or holding a reply",
            "of an aborted transaction. Prints the counts; exits 1 on any anomaly.",
            "",
            "Run it when nothing is in flight (stop ingest first, or wait): a request still on its",
            "way counts as lost. In queue mode (--delivery at-least-once) duplicate replies in the",
            "topic and order are reported but are not anomalies.",
            "",
            "Exit codes: 0 no anomaly, 1 anomalies found, 2 the data could not be read or a",
            "transaction was still open (the result is then incomplete)."
        })
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--store", paramLabel = "JDBC-URL", defaultValue = "${env:PIPELINE_STORE:-jdbc:sqlite:data/replies.db}",
            description = "The reply store to check (env PIPELINE_STORE; default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--no-store", description = "Check only the topics.")
    boolean noStore;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:PIPELINE_DB_USER}",
            description = "Database user, for PostgreSQL (env PIPELINE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:PIPELINE_DB_PASSWORD}",
            description = "Database password (env PIPELINE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--accepted", paramLabel = "FILE",
            description = {"NDJSON log of accepted requests, one {\"id\",\"key\",\"seq\"} per line (as `chaos` writes):",
                    "each must have a reply. Without it, every request in the requests topic must."})
    Path accepted;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "exactly-once",
            description = "exactly-once (group mode, the default) or at-least-once (queue mode, --delivery at-least-once).")
    String delivery;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.Converter.class,
            description = "To read each topic partition to its end (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the counts as JSON to this file.")
    Path report;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean exactlyOnce = switch (delivery) {
            case "exactly-once" -> true;
            case "at-least-once" -> false;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--delivery must be exactly-once or at-least-once (got '" + delivery + "')");
        };
        if (accepted != null && !Files.isReadable(accepted)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--accepted: cannot read " + accepted);
        }
        KafkaSettings settings = kafka.settings();
        String storeUrl = noStore ? null : store;
        CheckResult result;
        try {
            result = new Checker(new KafkaClients(settings, "check"))
                    .check(new Checker.Inputs(settings.topics(), accepted, storeUrl, dbUser, dbPassword, timeout));
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("check: cannot read the data: " + e.getMessage());
            return 2;
        }
        out.printf("check of %s* on %s%s%n", settings.topics().prefix(), settings.bootstrapServers(),
                storeUrl == null ? "" : ", store " + storeUrl);
        print(out, result, exactlyOnce);
        if (report != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("delivery", delivery);
            json.put("clean", result.clean(exactlyOnce));
            json.put("counts", result.counts());
            json.put("anomalies", result.anomalies(exactlyOnce));
            json.put("examples", result.examples());
            Files.write(report, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        }
        if (result.undecided() > 0) {
            err.println("check: " + result.undecided() + " reply offsets are in transactions still open; "
                    + "their requests may count as lost. Run the check again when the stack is idle.");
            return 2;
        }
        return result.clean(exactlyOnce) ? 0 : 1;
    }

    /** The counts, the anomalies with their verdict, and a few examples of each anomaly found. */
    public static void print(PrintWriter out, CheckResult r, boolean exactlyOnce) {
        line(out, "accepted (202, from the log)", r.accepted());
        line(out, "request records", r.requestRecords());
        line(out, "  ids written twice (resent)", r.requestsWrittenTwice());
        line(out, "  without a readable id", r.unreadableRequests());
        line(out, "committed replies", r.committedReplies());
        line(out, "aborted reply records (hidden)", r.abortedReplies());
        if (r.undecided() > 0) {
            line(out, "undecided (a transaction is still open)", r.undecided());
        }
        line(out, "dead letters", r.deadLetters());
        line(out, "store rows", r.storeRows());
        if (!exactlyOnce) {
            line(out, "duplicate replies (at least once: allowed)", r.duplicateReplies());
        }
        out.printf("anomalies (%s):%n", exactlyOnce ? "exactly-once" : "at-least-once");
        long total = 0;
        for (Map.Entry<String, Long> e : r.anomalies(exactlyOnce).entrySet()) {
            line(out, "  " + e.getKey(), e.getValue());
            total += Math.max(0, e.getValue());
        }
        for (Map.Entry<String, List<String>> e : r.examples().entrySet()) {
            if (exactlyOnce || !e.getKey().equals("duplicate replies") && !e.getKey().equals("order violations")) {
                out.printf("  e.g. %s: %s%n", e.getKey(), String.join("; ", e.getValue()));
            }
        }
        out.println(total == 0 ? "verdict: OK, no anomaly" : "verdict: FAILED, " + total + " anomalies");
        out.flush();
    }

    private static void line(PrintWriter out, String name, long value) {
        out.printf("  %-44s %s%n", name, value < 0 ? "not checked" : String.valueOf(value));
    }
}
