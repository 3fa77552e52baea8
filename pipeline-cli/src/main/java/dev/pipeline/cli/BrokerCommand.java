package dev.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.pipeline.kafka.embedded.EmbeddedKafka;
import dev.pipeline.core.kafka.KafkaEnvironment;

/**
 * {@code pipeline broker}: a single-node KRaft Kafka broker in this JVM until SIGTERM or Ctrl-C.
 * The main thread starts it and waits; the JVM's shutdown hook stops it.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        header = "Run a single-node Kafka broker (KRaft) on a persistent data directory.",
        description = {
            "Run a single-node Kafka broker (KRaft, broker and controller in one JVM) on a",
            "persistent data directory. Stop it with Ctrl-C or SIGTERM; started again on the",
            "same directory, it keeps its topics and records.",
            "",
            "Environment variables override broker settings as in the official apache/kafka",
            "image: KAFKA_NUM_PARTITIONS=3 sets num.partitions=3 ('_' becomes '.', '__' '_',",
            "'___' '-'). CLUSTER_ID sets the cluster id of a new data directory."
        })
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "0",
            description = "KRaft controller port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = "data/kafka",
            description = "Directory for the broker's logs and metadata (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> environment = KafkaEnvironment.brokerProperties(System.getenv());
        if (!environment.isEmpty()) {
            out.println("Broker settings from the environment: " + environment);
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .host(host)
                .port(port)
                .controllerPort(controllerPort)
                .dataDir(dataDir)
                .clusterId(System.getenv("CLUSTER_ID"))
                .properties(environment)
                // this JVM runs only the broker: on a fatal fault, halt as Kafka intends
                .haltOnFatalError(true)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the broker...");
            out.flush();
            kafka.close();
            out.println("Broker stopped.");
            out.flush();
            stopped.countDown();
        }, "broker-shutdown"));

        out.println("Kafka broker ready at " + kafka.bootstrapServers() + " (data in " + kafka.dataDir() + ")");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
