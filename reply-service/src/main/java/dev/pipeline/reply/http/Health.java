package dev.pipeline.reply.http;

import java.util.function.BooleanSupplier;

import dev.pipeline.reply.store.ReplyStore;
import io.javalin.http.Context;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the consumer is polling the
 * replies topic and the store answers a query; otherwise 503 saying which is not.
 */
final class Health {

    private final BooleanSupplier consumerRunning;
    private final ReplyStore store;

    Health(BooleanSupplier consumerRunning, ReplyStore store) {
        this.consumerRunning = consumerRunning;
        this.store = store;
    }

    void live(Context ctx) {
        ctx.status(200).contentType("application/json").result("{\"status\":\"live\"}");
    }

    void ready(Context ctx) {
        boolean consumer = consumerRunning.getAsBoolean();
        boolean storeAnswers = store.ping();
        if (!consumer || !storeAnswers) {
            throw new ProblemException(Problem.notReady(
                    (consumer ? "" : "the replies consumer is not running; ")
                            + (storeAnswers ? "" : "the reply store does not answer; ")
                            + "consumer=" + consumer + ", store=" + storeAnswers));
        }
        ctx.status(200).contentType("application/json").result("{\"status\":\"ready\",\"consumer\":true,\"store\":true}");
    }
}
