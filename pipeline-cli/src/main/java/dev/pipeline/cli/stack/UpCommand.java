package dev.pipeline.cli.stack;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline up}: the local stack until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        header = "Run the whole pipeline locally, each part its own process, until Ctrl-C.",
        description = {
            "Starts the embedded Kafka broker (unless --bootstrap names one), the reply service, N",
            "processors and ingest, each as its own OS process with its output prefixed. Ctrl-C",
            "stops them gracefully: ingest first, then the processors, the reply service, the broker.",
            "",
            "To scale, run './pipeline processor' in another terminal: it joins the same group."
        })
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--processors", paramLabel = "N", defaultValue = "2", description = "Processor instances (default: ${DEFAULT-VALUE}).")
    int processors;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Worker threads per processor; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "1",
            description = "Keys each processor worker runs at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Use this Kafka instead of starting the embedded broker.")
    String bootstrap;

    @Mixin
    StackPorts ports;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        LocalStack stack = new LocalStack(ports.options(bootstrap, processors, workers, concurrency), out);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            out.println("Stopping the pipeline...");
            stack.close();
            out.println("Stopped.");
            stopped.countDown();
        }, "up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stack.start();
        out.println();
        out.println("The pipeline is up:");
        out.println("  send requests   " + stack.ingestUrl() + "/v1/requests     (./pipeline send --count 1000 --type echo --payload '\"hi\"')");
        out.println("  read replies    " + stack.replyUrl() + "/v1/replies/{id}");
        out.println("  Kafka           " + stack.bootstrapServers());
        out.println("  reply store     " + stack.replyStore());
        out.println("  scale           ./pipeline processor   (in another terminal: joins the group)");
        out.println("Press Ctrl-C to stop.");
        out.println();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            Optional<ChildProcess> exited = stack.firstExited();
            if (exited.isPresent() && !stopping.get()) {
                out.println(exited.get().name() + " exited unexpectedly; stopping the pipeline.");
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shutdownInProgress) {
                    // the hook stops the stack; close() is idempotent
                }
                stack.close();
                return 1;
            }
        }
        return 0;
    }
}
