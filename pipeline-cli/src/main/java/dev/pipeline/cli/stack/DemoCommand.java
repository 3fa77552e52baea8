package dev.pipeline.cli.stack;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.pipeline.cli.send.SendConfig;
import dev.pipeline.cli.send.SendRun;
import dev.pipeline.cli.send.Summary;
import dev.pipeline.cli.send.SummaryText;

/** {@code pipeline demo}: up, a mixed workload, the summary, down. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        header = "Start the local pipeline, send a mixed workload, print the summary, stop.",
        description = {
            "Starts the embedded broker, the reply service, the processors and ingest (as 'up' does),",
            "sends a few thousand requests over several handler types through ingest (some fail on",
            "purpose, to show retries and error replies), waits for every reply, prints the summary",
            "and where the replies are stored, then stops everything."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--count", paramLabel = "N", defaultValue = "3000", description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100", description = "Ordering keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "150",
            description = "Requests per second, so latencies show processing rather than a queue (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--processors", paramLabel = "N", defaultValue = "2", description = "Processor instances (default: ${DEFAULT-VALUE}).")
    int processors;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "8",
            description = {"Keys each processor worker runs at once, so a request waiting for a retry does not hold",
                    "up the other keys of its partition (default: ${DEFAULT-VALUE})."})
    int concurrency;

    @Mixin
    StackPorts ports;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        Path workload = DemoWorkload.write(ports.dataDir.resolve("demo-requests.ndjson"), count, keys, 42);
        out.println("Starting the pipeline (broker, reply, " + processors + " processors, ingest)...");
        try (LocalStack stack = new LocalStack(ports.options(null, processors, 0, concurrency), out)) {
            Thread hook = new Thread(stack::close, "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stack.start();
            out.println("Sending " + count + " requests (" + (int) rate + "/s) from " + workload + " through " + stack.ingestUrl() + " ...");
            SendConfig config = SendConfig.of(new SendConfig.NdjsonFile(workload), new SendConfig.Ingest(URI.create(stack.ingestUrl())),
                            URI.create(stack.replyUrl()))
                    .withClient(SendConfig.randomClient().replace("cli-", "demo-"))
                    .withRate(rate)
                    .withAwaitReplies(true, Duration.ofSeconds(120));
            Summary summary = SendRun.run(config);
            out.println();
            out.print(SummaryText.render(summary));
            out.println();
            out.println("The replies are stored in " + stack.replyStore().toAbsolutePath() + " (SQLite) and were served by "
                    + stack.replyUrl() + "/v1/replies/{id}; their topic is pipeline.replies on " + stack.bootstrapServers() + ".");
            out.println("Stopping the pipeline...");
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // Ctrl-C arrived meanwhile: the hook closes the (already closed) stack
            }
            out.println("Done.");
            return summary.exitCode();
        }
    }
}
