package dev.pipeline.reply.http;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.pipeline.core.message.Json;
import dev.pipeline.reply.store.Page;
import dev.pipeline.reply.store.StoreStats;
import dev.pipeline.reply.store.StoredReply;

/** Response bodies that embed stored reply JSON verbatim, without parsing it again. */
final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * {@code {"items": [...], "next": "CURSOR"}}. {@code next} is the cursor of the last item:
     * more may follow it now ({@link Page#hasMore()}) or later; an empty page has none, and the
     * caller keeps the cursor it had.
     */
    static String page(Page page) {
        StringWriter body = new StringWriter();
        try (JsonGenerator json = Json.mapper().createGenerator(body)) {
            json.writeStartObject();
            json.writeArrayFieldStart("items");
            for (StoredReply item : page.items()) {
                // stored text was parsed as a Reply before it went in: it is one JSON value
                json.writeRawValue(item.json());
            }
            json.writeEndArray();
            if (page.last().isPresent()) {
                json.writeStringField("next", page.last().get().toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toString();
    }

    static String stats(StoreStats stats) {
        return "{\"stored\":" + stats.stored() + ",\"duplicates\":" + stats.duplicates()
                + ",\"unparseable\":" + stats.unparseable() + "}";
    }
}
