package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.cli.send.RequestSource.Item;
import dev.pipeline.core.message.RequestId;

class GeneratedSourceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void generatesCountRequestsWithKeysRoundRobinAndDistinctIds() {
        List<Submission> all = drain(new GeneratedSource("cli-1", "fib", IntNode.valueOf(25), 7, 3, null, CLOCK));

        assertThat(all).hasSize(7);
        assertThat(all).extracting(Submission::key)
                .containsExactly("key-0", "key-1", "key-2", "key-0", "key-1", "key-2", "key-0");
        assertThat(all).extracting(Submission::client).containsOnly("cli-1");
        assertThat(all).extracting(Submission::type).containsOnly("fib");
        assertThat(all).extracting(Submission::payload).containsOnly(IntNode.valueOf(25));
        assertThat(all).extracting(Submission::id).doesNotHaveDuplicates();
        assertThat(all).extracting(Submission::deadline).containsOnlyNulls();
    }

    @Test
    void withoutKeysTheClientIsTheOrderingKey() {
        List<Submission> all = drain(new GeneratedSource("cli-2", "echo", null, 2, 0, null, CLOCK));

        assertThat(all).extracting(Submission::key).containsOnlyNulls();
        assertThat(all).extracting(Submission::orderingKey).containsOnly("cli-2");
        assertThat(all).extracting(Submission::payload).containsOnlyNulls();
    }

    @Test
    void numbersItemsFromOneAndKnowsItsSize() throws Exception {
        GeneratedSource source = new GeneratedSource("c", "echo", null, 2, 0, null, CLOCK);

        assertThat(source.size()).hasValue(2);
        assertThat(((Item.Valid) source.next()).line()).isEqualTo(1);
        assertThat(((Item.Valid) source.next()).line()).isEqualTo(2);
        assertThat(source.next()).isNull();
    }

    @Test
    void aDeadlineIsSetRelativeToWhenTheRequestIsMade() {
        List<Submission> all = drain(new GeneratedSource("c", "sleep", IntNode.valueOf(10), 1, 0, Duration.ofSeconds(5), CLOCK));

        assertThat(all.getFirst().deadline()).isEqualTo(Instant.parse("2030-01-01T00:00:05Z"));
    }

    @Test
    void aPayloadArgumentIsJsonWhenItParsesAndTextOtherwise() {
        assertThat(GeneratedSource.parsePayload("25")).isEqualTo(IntNode.valueOf(25));
        assertThat(GeneratedSource.parsePayload("{\"a\": [1, 2]}").toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(GeneratedSource.parsePayload("\"quoted\"")).isEqualTo(TextNode.valueOf("quoted"));
        assertThat(GeneratedSource.parsePayload("hello world")).isEqualTo(TextNode.valueOf("hello world"));
        assertThat(GeneratedSource.parsePayload("{broken")).isEqualTo(TextNode.valueOf("{broken"));
        assertThat(GeneratedSource.parsePayload("")).isEqualTo(TextNode.valueOf(""));
        assertThat(GeneratedSource.parsePayload(null)).isNull();
    }

    @Test
    void theHttpBodyCarriesTheClientChosenId() {
        Submission submission = new Submission(new RequestId("r-1"), "c", "fib", "key-0", IntNode.valueOf(25),
                Instant.parse("2030-01-01T00:00:05Z"));

        assertThat(submission.toHttpBody().toString()).isEqualTo(
                "{\"id\":\"r-1\",\"client\":\"c\",\"type\":\"fib\",\"key\":\"key-0\",\"payload\":25,\"deadline\":\"2030-01-01T00:00:05Z\"}");
    }

    private static List<Submission> drain(GeneratedSource source) {
        List<Submission> all = new ArrayList<>();
        for (Item item = source.next(); item != null; item = source.next()) {
            all.add(((Item.Valid) item).submission());
        }
        return all;
    }
}
