package dev.pipeline.cli.stack;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where the local stack listens and keeps its data: the options {@code up} and {@code demo} share. */
public final class StackPorts {

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "9092", description = "Embedded broker port (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--ingest-port", paramLabel = "PORT", defaultValue = "8080", description = "Ingest HTTP port (default: ${DEFAULT-VALUE}).")
    int ingestPort;

    @Option(names = "--reply-port", paramLabel = "PORT", defaultValue = "8081", description = "Reply HTTP port (default: ${DEFAULT-VALUE}).")
    int replyPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Broker data and the reply store (and the demo's workload) go here (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The stack's options with these ports and directory. */
    LocalStack.Options options(String bootstrap, int processors, int workers, int concurrency) {
        return new LocalStack.Options(bootstrap, brokerPort, ingestPort, replyPort, processors, workers, concurrency, dataDir);
    }
}
