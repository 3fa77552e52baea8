package dev.pipeline.cli.send;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML standard describes:
 * {@code id}, {@code event} and {@code data} fields (several data lines join with newlines), a blank
 * line ends an event, lines starting with ':' are comments (keep-alives). An {@code id} counts
 * only once its event is dispatched: an event cut off by a dropped connection must be asked for
 * again, so {@link #lastEventId()} is the id of the last complete event, for {@code Last-Event-ID}
 * when reconnecting; {@link #newConnection()} drops a half-read event. One reading thread.
 */
final class SseParser {

    /** One dispatched event; {@code event} is {@code message} when the stream names none. */
    record Event(String id, String event, String data) {
    }

    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;
    /** The id field of the event being read; becomes the last event id when it is dispatched. */
    private String pendingId;
    private String lastEventId;

    /** @param lastEventId where a resumed stream starts, or null */
    SseParser(String lastEventId) {
        this.lastEventId = lastEventId;
        this.pendingId = lastEventId;
    }

    /** Forgets a half-read event: a new connection starts at an event boundary. */
    void newConnection() {
        data.setLength(0);
        hasData = false;
        event = null;
        pendingId = lastEventId;
    }

    /** Feeds one line (without its line ending); returns the event it completes, or null. */
    Event line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    pendingId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: the reconnect delay is the client's own choice here
            }
        }
        return null;
    }

    /** The id to send as {@code Last-Event-ID} when reconnecting, or null before any. */
    String lastEventId() {
        return lastEventId;
    }

    private Event dispatch() {
        lastEventId = pendingId;
        Event dispatched = hasData ? new Event(lastEventId, event == null || event.isEmpty() ? "message" : event, data.toString()) : null;
        data.setLength(0);
        hasData = false;
        event = null;
        return dispatched;
    }
}
