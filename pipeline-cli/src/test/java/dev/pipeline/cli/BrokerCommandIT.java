package dev.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pipeline.testkit.JavaProcess;
import dev.pipeline.testkit.TopicRecords;

/** {@code pipeline broker} as users run it: the packaged jar in its own JVM. */
class BrokerCommandIT {

    private static final Path JAR = Path.of("target", "pipeline-cli.jar");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @Test
    void restartsOnItsDataDirectoryWithTopicsAndRecordsKept() throws Exception {
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        try (JavaProcess broker = startBroker(port, Map.of())) {
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("kept", 1, "k", "record-" + i)).get();
                }
            }

            int exitCode = broker.terminate(STOP);
            // the JVM's status after SIGTERM when its shutdown hooks ran: 128 + 15
            assertThat(exitCode).isEqualTo(143);
            assertThat(broker.stdout()).contains("Broker stopped.");
        }
        // Kafka writes this marker only when its shutdown completed
        assertThat(workDir.resolve("data/kafka/.kafka_cleanshutdown")).exists();

        try (JavaProcess broker = startBroker(port, Map.of())) {
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept").partitions()).hasSize(2);
            }
            assertThat(TopicRecords.values(bootstrap, "kept", 1, false))
                    .containsExactly("record-0", "record-1", "record-2");
            broker.terminate(STOP);
        }
    }

    @Test
    void kcatProducesToAndConsumesFromIt() throws Exception {
        Assumptions.assumeTrue(onPath("kcat"), "kcat is not installed (apt-get install kcat; .ci/run installs it)");
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        // KAFKA_* variables configure the broker as they do the official image
        try (JavaProcess broker = startBroker(port, Map.of("KAFKA_NUM_PARTITIONS", "3"))) {
            String produced = "k1:first\nk2:second\nk3:third\n";
            Process producer = new ProcessBuilder("kcat", "-b", bootstrap, "-t", "from-kcat", "-K:", "-P").start();
            producer.getOutputStream().write(produced.getBytes(StandardCharsets.UTF_8));
            producer.getOutputStream().close();
            assertThat(producer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(producer.exitValue()).isZero();

            Process consumer = new ProcessBuilder("kcat", "-b", bootstrap, "-t", "from-kcat", "-C", "-e", "-q",
                    "-o", "beginning", "-f", "%k=%s\\n").start();
            assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String consumed = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(consumer.exitValue()).isZero();
            assertThat(consumed.lines()).containsExactlyInAnyOrder("k1=first", "k2=second", "k3=third");

            Process metadata = new ProcessBuilder("kcat", "-b", bootstrap, "-L", "-t", "from-kcat").start();
            assertThat(metadata.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(metadata.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("topic \"from-kcat\" with 3 partitions");
            broker.terminate(STOP);
        }
    }

    @Test
    void aTakenPortStopsItWithAMessageAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JavaProcess broker = JavaProcess.startJar("broker", JAR,
                     List.of("broker", "--port", String.valueOf(taken.getLocalPort())), workDir, Map.of())) {
            assertThat(broker.awaitExit(START)).isEqualTo(1);
            assertThat(String.join("\n", broker.stderr()))
                    .contains("broker: the broker port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
        }
    }

    private JavaProcess startBroker(int port, Map<String, String> env) {
        assertThat(JAR).as("the packaged CLI (mvn package builds it)").exists();
        JavaProcess broker = JavaProcess.startJar("broker", JAR, List.of("broker", "--port", String.valueOf(port)), workDir, env);
        broker.awaitStdoutLine(line -> line.startsWith("Kafka broker ready at 127.0.0.1:" + port), START);
        return broker;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
