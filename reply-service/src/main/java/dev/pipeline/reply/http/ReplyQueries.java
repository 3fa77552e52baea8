package dev.pipeline.reply.http;

import dev.pipeline.reply.store.Page;
import dev.pipeline.reply.store.ReplyStore;
import io.javalin.http.Context;

/** {@code GET /v1/replies?client=&after=&limit=} (paging in store order) and {@code GET /v1/stats}. */
final class ReplyQueries {

    private final ReplyStore store;

    ReplyQueries(ReplyStore store) {
        this.store = store;
    }

    void page(Context ctx) {
        Page page = store.page(Params.client(ctx.queryParam("client")),
                Params.cursor("after", ctx.queryParam("after")), Params.limit(ctx.queryParam("limit")));
        ctx.status(200).contentType("application/json").result(JsonBodies.page(page));
    }

    void stats(Context ctx) {
        ctx.status(200).contentType("application/json").result(JsonBodies.stats(store.stats()));
    }
}
