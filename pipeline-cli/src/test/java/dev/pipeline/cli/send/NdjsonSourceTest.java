package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;

import dev.pipeline.cli.send.RequestSource.Item;
import dev.pipeline.core.message.RequestId;

class NdjsonSourceTest {

    @Test
    void readsRequestsSkipsBlankLinesAndReportsABadLineWithItsNumber() throws IOException {
        List<Item> items = read("""
                {"type":"fib","payload":25,"key":"k1"}

                {"type":"echo", broken
                {"id":"my-id","client":"other","type":"echo","payload":{"a":1},"deadline":"2030-01-01T00:00:00Z"}
                """);

        assertThat(items).hasSize(3);
        Item.Valid first = (Item.Valid) items.get(0);
        assertThat(first.line()).isEqualTo(1);
        assertThat(first.submission().type()).isEqualTo("fib");
        assertThat(first.submission().payload()).isEqualTo(IntNode.valueOf(25));
        assertThat(first.submission().key()).isEqualTo("k1");
        assertThat(first.submission().client()).as("filled from the run").isEqualTo("cli-run");
        assertThat(first.submission().id()).as("made client-side").isNotNull();

        Item.Invalid bad = (Item.Invalid) items.get(1);
        assertThat(bad.line()).isEqualTo(3);
        assertThat(bad.problem()).startsWith("not valid JSON");

        Item.Valid last = (Item.Valid) items.get(2);
        assertThat(last.line()).isEqualTo(4);
        assertThat(last.submission().id()).isEqualTo(new RequestId("my-id"));
        assertThat(last.submission().client()).isEqualTo("other");
        assertThat(last.submission().payload().toString()).isEqualTo("{\"a\":1}");
        assertThat(last.submission().deadline()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void namesWhatIsWrongWithALine() {
        assertThat(problem("[1,2]")).isEqualTo("not a JSON object");
        assertThat(problem("{\"payload\":1}")).isEqualTo("\"type\" is required");
        assertThat(problem("{\"type\":\"\"}")).isEqualTo("\"type\" is required");
        assertThat(problem("{\"type\":5}")).isEqualTo("\"type\" must be a string");
        assertThat(problem("{\"type\":\"echo\",\"key\":[]}")).isEqualTo("\"key\" must be a string");
        assertThat(problem("{\"type\":\"echo\",\"id\":\"has space\"}")).startsWith("id must be 1-128 characters");
        assertThat(problem("{\"type\":\"echo\",\"deadline\":\"tomorrow\"}")).startsWith("\"deadline\" must be an ISO-8601 instant");
        assertThat(problem("{\"type\":\"echo\"} {\"type\":\"echo\"}")).startsWith("not valid JSON");
    }

    @Test
    void aLineWithoutIdGetsAFreshOneEachTime() throws IOException {
        List<Item> items = read("{\"type\":\"echo\"}\n{\"type\":\"echo\"}\n");

        assertThat(((Item.Valid) items.get(0)).submission().id())
                .isNotEqualTo(((Item.Valid) items.get(1)).submission().id());
    }

    @Test
    void emptyInputHasNoItems() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("\n  \n")).isEmpty();
    }

    private static String problem(String line) {
        return ((Item.Invalid) NdjsonSource.parse(1, line, "cli-run")).problem();
    }

    private static List<Item> read(String text) throws IOException {
        List<Item> items = new ArrayList<>();
        try (NdjsonSource source = new NdjsonSource(new BufferedReader(new StringReader(text)), "cli-run")) {
            for (Item item = source.next(); item != null; item = source.next()) {
                items.add(item);
            }
        }
        return items;
    }
}
