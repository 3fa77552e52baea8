package dev.pipeline.cli.stack;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the processors' consumer group has settled: the expected number of members, and
 * every partition of the requests topic assigned to one of them. Started processes say "running"
 * before the group has handed out partitions; requests sent before then wait for a rebalance.
 */
public final class GroupReadiness {

    private GroupReadiness() {
    }

    /** @return true once settled, false if {@code timeout} passed first */
    public static boolean await(String bootstrapServers, String group, String topic, int members, Duration timeout)
            throws InterruptedException {
        return await(bootstrapServers, group, topic, members, false, timeout);
    }

    /**
     * With {@code balanced}, settled also means exactly {@code members} members, each holding a
     * partition: a killed member that the group has not yet dropped does not count as settled.
     *
     * @return true once settled, false if {@code timeout} passed first
     */
    public static boolean await(String bootstrapServers, String group, String topic, int members, boolean balanced,
                                Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (System.nanoTime() < deadline) {
                if (settled(admin, group, topic, members, balanced)) {
                    return true;
                }
                Thread.sleep(250); // polling the coordinator; nothing to wait on instead
            }
        }
        return false;
    }

    private static boolean settled(Admin admin, String group, String topic, int members, boolean balanced)
            throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(5, TimeUnit.SECONDS);
            Set<TopicPartition> assigned = new HashSet<>();
            description.members().forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
            boolean allAssigned = assigned.stream().filter(p -> p.topic().equals(topic)).count() == partitions;
            if (balanced) {
                return allAssigned && description.members().size() == members
                        && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            }
            return allAssigned && description.members().size() >= members;
        } catch (ExecutionException | TimeoutException e) {
            return false; // the group or topic does not exist yet
        }
    }
}
