package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void parsesEventsWithIdsNamesAndMultiLineData() {
        SseParser parser = new SseParser(null);

        List<SseParser.Event> events = feed(parser,
                ": keep-alive",
                "id: 7",
                "event: reply",
                "data: {\"a\":",
                "data: 1}",
                "",
                "data:plain",
                "",
                "retry: 1000",
                "");

        assertThat(events).containsExactly(
                new SseParser.Event("7", "reply", "{\"a\":\n1}"),
                new SseParser.Event("7", "message", "plain"));
        assertThat(parser.lastEventId()).isEqualTo("7");
    }

    @Test
    void anIdWithoutDataDispatchesNothingButMovesTheResumePoint() {
        SseParser parser = new SseParser("3");

        assertThat(feed(parser, "id: 9", "")).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("9");
    }

    private static List<SseParser.Event> feed(SseParser parser, String... lines) {
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            SseParser.Event event = parser.line(line);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }
}
