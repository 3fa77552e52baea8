package dev.pipeline.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.handler.HandlerContext;
import dev.pipeline.core.handler.builtin.Echo;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

/**
 * The original in-process design, for reference: a reader thread, processor threads and a writer
 * thread joined by two bounded queues, no Kafka and no durability. The same JSON work as the
 * pipeline (write the request, read it, run {@code echo}, write the reply) so the difference to
 * scenario (b) is what Kafka and durability cost.
 */
final class InProcessPipeline {

    private static final byte[] POISON = new byte[0];

    private InProcessPipeline() {
    }

    static Measurement run(String name, int count, int processors, JsonNode payload) throws InterruptedException {
        BlockingQueue<byte[]> requests = new ArrayBlockingQueue<>(1_000);
        BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(1_000);
        Echo echo = new Echo();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        threads.add(Thread.ofPlatform().name("inproc-reader").start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    Request request = new Request(Request.VERSION, RequestId.random(), "bench", "echo", "k" + (i % 1000), payload,
                            Instant.now(), null);
                    requests.put(Json.toBytes(request));
                }
                for (int i = 0; i < processors; i++) {
                    requests.put(POISON);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        for (int p = 0; p < processors; p++) {
            threads.add(Thread.ofPlatform().name("inproc-processor-" + p).start(() -> {
                try {
                    for (byte[] bytes = requests.take(); bytes != POISON; bytes = requests.take()) {
                        Request request = Json.readRequest(bytes);
                        JsonNode result = echo.handle(new HandlerContext(request, 1));
                        Instant now = Instant.now();
                        replies.put(Json.toBytes(new Reply(Reply.VERSION, request.id(), request.client(), request.type(), ReplyStatus.OK,
                                result, null, 1, "inproc", request.submittedAt(), now, 0)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException("in-process echo failed", e);
                }
            }));
        }
        long seen = 0;
        while (seen < count) {
            replies.take();
            seen++;
        }
        long end = System.nanoTime();
        for (Thread thread : threads) {
            thread.join();
        }
        return Measurement.of(name, count, end - start);
    }
}
