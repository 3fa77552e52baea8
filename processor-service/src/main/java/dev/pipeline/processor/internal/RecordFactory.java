package dev.pipeline.processor.internal;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyError;
import dev.pipeline.core.message.ReplyStatus;

/** Builds the records a worker writes: replies keyed like their request, and dead letters. */
public final class RecordFactory {

    /** A reply larger than this is replaced by an error reply: the broker would refuse it (1 MB). */
    static final int MAX_REPLY_BYTES = 900_000;

    private final String repliesTopic;
    private final String dlqTopic;

    public RecordFactory(String repliesTopic, String dlqTopic) {
        this.repliesTopic = repliesTopic;
        this.dlqTopic = dlqTopic;
    }

    /** The reply record: the request's key, its request id, where the request was, and trace context headers. */
    public ProducerRecord<byte[], byte[]> reply(ConsumerRecord<byte[], byte[]> request, Reply reply) {
        byte[] value;
        try {
            value = Json.toBytes(reply);
            if (value.length > MAX_REPLY_BYTES) {
                value = Json.toBytes(asError(reply, "result_too_large",
                        "the result was " + value.length + " bytes; the limit is " + MAX_REPLY_BYTES));
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

    private static Reply asError(Reply reply, String code, String message) {
        return new Reply(reply.v(), reply.requestId(), reply.client(), reply.type(), ReplyStatus.ERROR, null,
                new ReplyError(code, message), reply.attempts(), reply.processor(), reply.submittedAt(), reply.processedAt(),
                reply.processingMs());
    }

    /** The dead letter: the original key, value and headers unchanged, plus why and from where. */
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, Outcome.DeadLetter why,
                                                     int attempts, Instant now) {
        RecordHeaders headers = new RecordHeaders(source.headers().toArray());
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ERROR_CLASS, utf8(why.errorClass()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ERROR_MESSAGE, utf8(why.message()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_ATTEMPTS, utf8(String.valueOf(attempts)));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_TOPIC, utf8(source.topic()));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(dev.pipeline.core.message.RecordHeaders.DLQ_TIME, utf8(now.toString()));
        return new ProducerRecord<>(dlqTopic, null, source.key(), source.value(), headers);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
