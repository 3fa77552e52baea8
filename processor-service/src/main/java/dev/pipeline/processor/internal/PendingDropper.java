package dev.pipeline.processor.internal;

import java.util.Collection;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's rebalance listener. Its presence alone matters most: with a listener, the
 * consumer gives partitions up only inside {@code poll()}, on the worker's thread. What it does
 * is drop pending records of partitions the worker no longer owns.
 */
final class PendingDropper implements ConsumerRebalanceListener {

    private final Consumer<Collection<TopicPartition>> drop;

    PendingDropper(Consumer<Collection<TopicPartition>> drop) {
        this.drop = drop;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        drop.accept(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        drop.accept(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // nothing to set up: positions come from the committed offsets
    }
}
