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

    @Test
    void anEventCutOffByADroppedConnectionIsAskedForAgainAndNotDispatchedHalfRead() {
        SseParser parser = new SseParser(null);
        feed(parser, "id: 4", "data: {\"whole\":true}", "");
        // the connection drops after the id of event 5, before its data ends
        feed(parser, "id: 5", "data: {\"cut");

        assertThat(parser.lastEventId()).as("resume after the last complete event").isEqualTo("4");
        parser.newConnection();
        List<SseParser.Event> events = feed(parser, "id: 5", "data: {\"whole\":5}", "");
        assertThat(events).containsExactly(new SseParser.Event("5", "message", "{\"whole\":5}"));
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
