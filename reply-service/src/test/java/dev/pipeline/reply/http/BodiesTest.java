package dev.pipeline.reply.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.reply.store.Cursor;
import dev.pipeline.reply.store.Page;
import dev.pipeline.reply.store.StoreStats;
import dev.pipeline.reply.store.StoredReply;

class BodiesTest {

    @Test
    void aPageEmbedsTheStoredJsonAndNamesTheLastCursor() throws Exception {
        Page page = new Page(List.of(new StoredReply(new Cursor(3), "{\"requestId\":\"a\"}"),
                new StoredReply(new Cursor(9), "{ \"requestId\" : \"b\" }")), true);

        JsonNode body = Json.mapper().readTree(JsonBodies.page(page));

        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("items").get(1).get("requestId").asText()).isEqualTo("b");
        assertThat(body.get("next").asText()).isEqualTo("9");
    }

    @Test
    void anEmptyPageHasNoNext() {
        assertThat(JsonBodies.page(new Page(List.of(), false))).isEqualTo("{\"items\":[]}");
    }

    @Test
    void statsNameStoredAndDuplicates() {
        assertThat(JsonBodies.stats(new StoreStats(5, 2, 1))).isEqualTo("{\"stored\":5,\"duplicates\":2,\"unparseable\":1}");
    }

    @Test
    void anEventCarriesItsCursorAsIdAndEveryLineOfTheJsonAsData() {
        assertThat(ReplyEventStream.event(new StoredReply(new Cursor(12), "{\"a\":1}")))
                .isEqualTo("id: 12\nevent: reply\ndata: {\"a\":1}\n\n");
        assertThat(ReplyEventStream.event(new StoredReply(new Cursor(13), "{\n  \"a\": 1\r\n}")))
                .isEqualTo("id: 13\nevent: reply\ndata: {\ndata:   \"a\": 1\ndata: }\n\n");
    }
}
