package dev.pipeline.reply.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.reply.store.IncomingReply;

/**
 * Turns a poll's records into replies. A record that is not a reply is counted and skipped, so
 * nothing waits behind it; it is logged once, even when a failed batch is read again after a
 * rewind. Used by the consumer thread only.
 */
final class BatchParser {

    private static final Logger log = LoggerFactory.getLogger(BatchParser.class);

    /** The highest offset already reported as unparseable, per partition. */
    private final Map<TopicPartition, Long> reportedUpTo = new HashMap<>();

    ParsedBatch parse(ConsumerRecords<byte[], byte[]> records) {
        List<IncomingReply> replies = new ArrayList<>(records.count());
        int unparseable = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                replies.add(parse(record));
            } catch (IOException | RuntimeException e) {
                unparseable++;
                report(record, e);
            }
        }
        return new ParsedBatch(replies, unparseable, nextOffsets(records));
    }

    /**
     * The positions after this batch. The consumer supplies them (past transaction markers too);
     * a records object built by an interceptor with the old constructor has none, and then the
     * offset after each partition's last record does.
     */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>(records.nextOffsets());
        for (TopicPartition partition : records.partitions()) {
            if (!next.containsKey(partition)) {
                ConsumerRecord<byte[], byte[]> last = records.records(partition).getLast();
                next.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
            }
        }
        return next;
    }

    /** Forgets partitions this consumer no longer owns: a later owner reports for itself. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(reportedUpTo::remove);
    }

    private static IncomingReply parse(ConsumerRecord<byte[], byte[]> record) throws IOException {
        byte[] value = record.value();
        if (value == null) {
            throw new IOException("the record has no value");
        }
        Reply reply = Json.readReply(value);
        return new IncomingReply(reply, new String(value, StandardCharsets.UTF_8));
    }

    private void report(ConsumerRecord<byte[], byte[]> record, Exception e) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Long reported = reportedUpTo.get(partition);
        if (reported != null && record.offset() <= reported) {
            return;
        }
        reportedUpTo.put(partition, record.offset());
        log.warn("skipping a record that is not a reply: topic {} partition {} offset {}: {}",
                record.topic(), record.partition(), record.offset(), firstLine(e.getMessage()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
