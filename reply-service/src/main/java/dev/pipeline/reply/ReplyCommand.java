package dev.pipeline.reply;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import dev.pipeline.core.kafka.KafkaOptions;
import dev.pipeline.core.runtime.Durations;
import dev.pipeline.core.runtime.ServiceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline reply}: runs the reply service until SIGTERM or Ctrl-C. */
@Command(
        name = "reply",
        mixinStandardHelpOptions = true,
        header = "Run the reply service: store replies, serve them over HTTP and Server-Sent Events.",
        description = {
            "Consumes the replies topic (committed transactions only) into a reply store, one database "
                    + "transaction per batch, and commits offsets only after the store has: the first reply of a "
                    + "request wins, later ones are counted as duplicates.",
            "",
            "Serves GET /v1/replies/{id} (?wait= long-poll), GET /v1/replies?client=&after=&limit=, "
                    + "GET /v1/replies/stream?client= (Server-Sent Events, resumes from Last-Event-ID), "
                    + "GET /v1/stats and /health/live, /health/ready."
        })
public final class ReplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:PIPELINE_REPLY_HOST:-127.0.0.1}",
            description = "Address to listen on (env PIPELINE_REPLY_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:PIPELINE_REPLY_PORT:-8081}",
            description = "HTTP port, 0 for any free one (env PIPELINE_REPLY_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--store", paramLabel = "JDBC-URL", defaultValue = "${env:PIPELINE_REPLY_STORE:-jdbc:sqlite:data/replies.db}",
            description = {"Reply store: jdbc:sqlite:<file> or jdbc:postgresql://host[:port]/db",
                    "(env PIPELINE_REPLY_STORE; default: ${DEFAULT-VALUE})."})
    String store;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:PIPELINE_DB_USER}",
            description = "Database user, for PostgreSQL (env PIPELINE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:PIPELINE_DB_PASSWORD}",
            description = "Database password; prefer the variable, which ps does not show (env PIPELINE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "${env:PIPELINE_REPLY_GROUP:-pipeline-reply}",
            description = "Consumer group; services sharing one store share one group (env PIPELINE_REPLY_GROUP; default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = Durations.Converter.class,
            defaultValue = "${env:PIPELINE_REPLY_MAX_WAIT:-60s}",
            description = "Longest long-poll; a longer ?wait= waits this long (default: ${DEFAULT-VALUE}).")
    Duration maxWait;

    @Option(names = "--max-waiters", paramLabel = "N", defaultValue = "${env:PIPELINE_REPLY_MAX_WAITERS:-10000}",
            description = "Long-polls at once, and SSE streams at once; more get 503 (default: ${DEFAULT-VALUE}).")
    int maxWaiters;

    @Option(names = "--heartbeat", paramLabel = "DURATION", converter = Durations.Converter.class,
            defaultValue = "${env:PIPELINE_REPLY_HEARTBEAT:-15s}",
            description = "Comment line on a quiet SSE stream this often (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:PIPELINE_AUTH_TOKEN}",
            description = "When set, /v1 routes need 'Authorization: Bearer TOKEN' (env PIPELINE_AUTH_TOKEN).")
    String authToken;

    @Override
    public Integer call() throws InterruptedException {
        ReplyConfig config = new ReplyConfig(host, port, store, dbUser, dbPassword, group, maxWait, maxWaiters,
                heartbeat, authToken, kafka.settings());
        PrintWriter out = spec.commandLine().getOut();
        AtomicReference<ReplyService> service = new AtomicReference<>();
        return ServiceRunner.runUntilShutdown("reply", () -> {
            service.set(new ReplyService(config));
            return service.get();
        }, () -> {
            out.println("reply listening on http://" + config.host() + ":" + service.get().port()
                    + " (store: " + service.get().storeDescription() + ")");
            out.flush();
        });
    }
}
