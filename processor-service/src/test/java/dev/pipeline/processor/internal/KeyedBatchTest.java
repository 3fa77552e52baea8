package dev.pipeline.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KeyedBatchTest {

    private final KeyedBatch batch = new KeyedBatch(4, "test");

    @Test
    void recordsOfOneKeyRunInOffsetOrderWhileKeysRunTogether() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int offset = 0; offset < 40; offset++) {
            records.add(record("key-" + offset % 4, offset));
        }
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        CountDownLatch allKeysStarted = new CountDownLatch(4);

        batch.run(records, record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.offset() < 4) {
                // each key's first record waits until every key has started: only concurrency passes this
                allKeysStarted.countDown();
                assertThat(allKeysStarted.await(10, TimeUnit.SECONDS)).isTrue();
            }
            seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(record.offset());
        });

        assertThat(seen).hasSize(4);
        seen.forEach((key, offsets) -> assertThat(offsets).isSorted().hasSize(10));
    }

    @Test
    void aFailureStopsTheOtherKeysAndIsThrownOnceAllHaveStopped() {
        // more keys than permits: some groups are still waiting for one when the failure comes
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(List.of(record("a", 0), record("b", 1), record("b", 2)));
        for (int i = 0; i < 10; i++) {
            records.add(record("waiting-" + i, 3 + i));
        }
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ranAfterFailure = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);

        // whichever group takes the last of the 4 permits fails; the other three hold theirs and
        // wait until interrupted, the rest still wait for a permit: all must be stopped
        assertThatThrownBy(() -> batch.run(records, record -> {
            if (started.incrementAndGet() == 4) {
                throw new IllegalStateException("boom");
            }
            never.await();
            ranAfterFailure.incrementAndGet();
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(ranAfterFailure).hasValue(0);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, long offset) {
        return new ConsumerRecord<>("t", 0, offset, key.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
