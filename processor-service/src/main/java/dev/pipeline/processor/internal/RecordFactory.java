package dev.pipeline.processor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyError;
import dev.pipeline.core.message.ReplyStatus;

/** Builds the records a worker writes: replies keyed like their request, and dead letters. */
public final class RecordFactory {

    /** A reply larger than this is replaced by an error reply: the broker would refuse it (1 MB). */
    static final int MAX_REPLY_BYTES = 900_000;
    /** The producer's {@code max.request.size} unless it is set otherwise: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    /**
     * What a batch of one record adds to its key, value and headers, at most: the batch header (61
     * bytes), then the record's length, attributes, timestamp delta, offset delta, key length, value
     * length and header count as varints. Each header adds at most 10 bytes besides its name and
     * value. The producer refuses a record whose batch would exceed {@code max.request.size}.
     */
    private static final int RECORD_OVERHEAD = 61 + 5 + 1 + 10 + 5 + 5 + 5 + 5;
    private static final int HEADER_OVERHEAD = 10;

    private final String repliesTopic;
    private final String dlqTopic;
    private final int maxRecordBytes;

    public RecordFactory(String repliesTopic, String dlqTopic) {
        this(repliesTopic, dlqTopic, DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxRecordBytes the {@code max.request.size} of the producer that sends these records */
    public RecordFactory(String repliesTopic, String dlqTopic, int maxRecordBytes) {
        this.repliesTopic = repliesTopic;
        this.dlqTopic = dlqTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The reply record: the request's key, its request id, where the request was, and trace context headers. */
    public ProducerRecord<byte[], byte[]> reply(ConsumerRecord<byte[], byte[]> request, Reply reply) {
        byte[] value;
        try {
            value = Json.toBytes(reply);
            if (value.length > MAX_REPLY_BYTES) {
                value = Json.toBytes(asError(reply, "result_too_large",
                        "the result was " + value.length + " bytes; the limit is " + MAX_REPLY_BYTES));
            } else {
                String unreadable = unreadable(value);
                if (unreadable != null) {
                    value = Json.toBytes(asError(reply, "result_unreadable",
                            "the result is beyond the bounds of the pipeline's JSON readers: " + unreadable));
                }
            }
        } catch (UncheckedIOException e) {
            value = Json.toBytes(asError(reply, "result_not_json", "the result cannot be written as JSON: " + e.getMessage()));
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(dev.pipeline.core.message.RecordHeaders.REQUEST_ID, utf8(reply.requestId().value()));
        headers.add(dev.pipeline.core.message.RecordHeaders.REQUEST_PARTITION, utf8(String.valueOf(request.partition())));
        headers.add(dev.pipeline.core.message.RecordHeaders.REQUEST_OFFSET, utf8(String.valueOf(request.offset())));
        Header trace = request.headers().lastHeader(dev.pipeline.core.message.RecordHeaders.TRACEPARENT);
        if (trace != null) {
            headers.add(trace);
        }
        return new ProducerRecord<>(repliesTopic, null, request.key(), value, headers);
    }

    /**
     * Why a reader of this pipeline could not read {@code value}, or null when it can. A handler may
     * return valid JSON outside the bounds every reader here keeps ({@link Json}: nesting depth,
     * lengths of names and numbers), such as wordcount's count of a 60,000-letter word; written as it
     * is, the reply service would skip that reply as unreadable and the request would never be
     * answered. Reading the tokens checks those bounds at a fraction of the cost of binding a Reply;
     * strings are within theirs already, since a reply is at most {@link #MAX_REPLY_BYTES}.
     */
    static String unreadable(byte[] value) {
        try (JsonParser parser = Json.mapper().createParser(value)) {
            while (parser.nextToken() != null) {
                // each token is checked against the bounds as it is read
            }
            return null;
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Reply asError(Reply reply, String code, String message) {
        return new Reply(reply.v(), reply.requestId(), reply.client(), reply.type(), ReplyStatus.ERROR, null,
                new ReplyError(code, message), reply.attempts(), reply.processor(), reply.submittedAt(), reply.processedAt(),
                reply.processingMs());
    }

    /**
     * The dead letter: the original key, value and headers unchanged, plus why and from where. When
     * that is more than the producer may send (a record written at the size limit, plus the reason
     * headers), sending it would fail the transaction, and so would every retry: the partition would
     * never move on. Then the dead letter holds the reason and where the record is (it stays in its
     * topic), without its key, value and headers, and {@code dlq.dropped} says what was left out.
     */
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, Outcome.DeadLetter why,
                                                     int attempts, Instant now) {
        RecordHeaders headers = new RecordHeaders(source.headers().toArray());
        addReason(headers, source, why, attempts, now);
        long size = sizeUpperBound(source.key(), source.value(), headers);
        if (size <= maxRecordBytes) {
            return new ProducerRecord<>(dlqTopic, null, source.key(), source.value(), headers);
        }
        RecordHeaders reason = new RecordHeaders();
        addReason(reason, source, why, attempts, now);
        reason.add(dev.pipeline.core.message.RecordHeaders.DLQ_DROPPED, utf8("key (" + length(source.key()) + " bytes), value ("
                + length(source.value()) + " bytes) and headers: with the reason, up to " + size + " bytes, over the "
                + maxRecordBytes + " a record may have; the record is still at " + source.topic() + "-" + source.partition()
                + "@" + source.offset()));
        return new ProducerRecord<>(dlqTopic, null, (byte[]) null, (byte[]) null, reason);
    }

    private static void addReason(RecordHeaders headers, ConsumerRecord<byte[], byte[]> source, Outcome.DeadLetter why,
                                  int attempts, Instant now) {
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ERROR_CLASS, utf8(why.errorClass()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ERROR_MESSAGE, utf8(why.message()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ATTEMPTS, utf8(String.valueOf(attempts)));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_TOPIC, utf8(source.topic()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_TIME, utf8(now.toString()));
    }

    private static long sizeUpperBound(byte[] key, byte[] value, RecordHeaders headers) {
        long size = RECORD_OVERHEAD + length(key) + length(value);
        for (Header header : headers) {
            size += HEADER_OVERHEAD + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
