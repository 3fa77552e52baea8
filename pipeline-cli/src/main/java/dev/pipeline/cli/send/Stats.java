package dev.pipeline.cli.send;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;

import dev.pipeline.core.message.ReplyStatus;

/**
 * The counters and the latency histogram of one run. Written from several threads at once (the
 * sending thread, HTTP or producer callbacks, reply feeds); every field is thread-safe, and a
 * {@link #summary} taken while they still run is a slightly blurred but valid picture.
 */
final class Stats {

    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder invalidLines = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final Map<Integer, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<Integer, String> rejectionReasons = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    /** one adder per status, made here and never changed: safe to read from any thread */
    private final Map<ReplyStatus, LongAdder> replies = new EnumMap<>(ReplyStatus.class);
    /** submit to reply seen, microseconds; auto-resizing, 3 significant digits */
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
    private final AtomicLong startNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong sendsDoneNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastReplyNanos = new AtomicLong(Long.MIN_VALUE);

    Stats() {
        for (ReplyStatus status : ReplyStatus.values()) {
            replies.put(status, new LongAdder());
        }
    }

    void started(long nanos) {
        startNanos.compareAndSet(Long.MIN_VALUE, nanos);
    }

    void sendsDone(long nanos) {
        sendsDoneNanos.set(nanos);
    }

    void sent() {
        sent.increment();
    }

    void accepted() {
        accepted.increment();
    }

    void rejected(int status, String reason) {
        rejected.computeIfAbsent(status, s -> new LongAdder()).increment();
        rejectionReasons.putIfAbsent(status, reason);
    }

    void failed(String reason) {
        failed.increment();
        firstFailure.compareAndSet(null, reason);
    }

    void invalidLine() {
        invalidLines.increment();
    }

    void replied(ReplyStatus status, long latencyMicros, long seenNanos) {
        replies.get(status).increment();
        this.latencyMicros.recordValue(Math.max(0, latencyMicros));
        lastReplyNanos.accumulateAndGet(seenNanos, Math::max);
    }

    void outOfOrder() {
        outOfOrder.increment();
    }

    long sentCount() {
        return sent.sum();
    }

    long acceptedCount() {
        return accepted.sum();
    }

    long repliedCount() {
        return replies.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * Everything counted so far; {@code now} ends the send phase if it has not ended yet.
     *
     * @param orderKnown whether requests reached the topic in the order sent, so that per-key
     *                   reply order means something
     */
    Summary summary(String mode, String client, long retries, boolean waited, long missing, boolean orderKnown, long now) {
        long start = startNanos.get() == Long.MIN_VALUE ? now : startNanos.get();
        long sendsDone = sendsDoneNanos.get() == Long.MIN_VALUE ? now : sendsDoneNanos.get();
        long lastReply = lastReplyNanos.get() == Long.MIN_VALUE ? start : lastReplyNanos.get();
        Map<String, Long> rejectedByStatus = new TreeMap<>();
        rejected.forEach((status, count) -> rejectedByStatus.put(String.valueOf(status), count.sum()));
        Map<String, String> reasons = new TreeMap<>();
        rejectionReasons.forEach((status, reason) -> reasons.put(String.valueOf(status), reason));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        replies.forEach((status, count) -> byStatus.put(status.wireName(), count.sum()));
        long replied = repliedCount();
        return new Summary(mode, client, sent.sum(), accepted.sum(), rejectedByStatus, reasons, failed.sum(),
                firstFailure.get(), retries, invalidLines.sum(), waited, byStatus, missing,
                waited && orderKnown ? outOfOrder.sum() : null,
                Summary.Throughput.of(sent.sum(), sendsDone - start, replied, lastReply - start),
                Summary.Latency.ofMicros(latencyMicros));
    }
}
