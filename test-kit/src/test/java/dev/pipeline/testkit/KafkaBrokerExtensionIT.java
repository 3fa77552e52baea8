package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

@WithKafka
class KafkaBrokerExtensionIT {

    private final KafkaBroker fromConstructor;

    KafkaBrokerExtensionIT(KafkaBroker kafka) {
        this.fromConstructor = kafka;
    }

    @Test
    void everyTestInTheJvmGetsTheSameRunningBroker(KafkaBroker kafka) {
        assertThat(kafka).isSameAs(fromConstructor);
        String topic = kafka.createTopic("extension", 2);
        assertThat(kafka.topics()).contains(topic);
    }

    @Test
    void uniqueNamesNeverRepeat(KafkaBroker kafka) {
        Set<String> names = new HashSet<>();
        IntStream.range(0, 1_000).forEach(i -> names.add(kafka.uniqueTopic("t")));
        assertThat(names).hasSize(1_000).allMatch(n -> n.matches("t-[0-9a-f]{8}-\\d+"));
    }
}
