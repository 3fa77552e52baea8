package dev.pipeline.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.Request;
import dev.pipeline.testkit.TopicRecords;

/** What the pipeline wrote, read from outside: the topics (committed data only) and the reply store. */
final class PipelineRecords {

    private PipelineRecords() {
    }

    /** Committed replies per request id, of one client's requests. */
    static Map<String, Integer> replyCounts(String bootstrapServers, String repliesTopic, String client) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicRecords.readAll(bootstrapServers, repliesTopic, true)) {
            Reply reply = read(() -> Json.readReply(record.value()));
            if (client.equals(reply.client())) {
                counts.merge(reply.requestId().value(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Committed replies per processor instance (the part of {@code processor} before the '/'), of one client. */
    static Map<String, Integer> repliesByInstance(String bootstrapServers, String repliesTopic, String client) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicRecords.readAll(bootstrapServers, repliesTopic, true)) {
            Reply reply = read(() -> Json.readReply(record.value()));
            if (client.equals(reply.client())) {
                counts.merge(reply.processor().substring(0, reply.processor().indexOf('/')), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Ids of one client's requests on the requests topic. */
    static Set<String> requestIds(String bootstrapServers, String requestsTopic, String client) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicRecords.readAll(bootstrapServers, requestsTopic, true)) {
            Request request = read(() -> Json.readRequest(record.value()));
            if (client.equals(request.client())) {
                ids.add(request.id().value());
            }
        }
        return ids;
    }

    /** Rows of one client in the reply store: {@code [count(*), count(distinct request_id)]}. */
    static long[] storeCounts(Path store, String client) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + store);
             var statement = db.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM replies WHERE client = ?")) {
            statement.setString(1, client);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the reply store " + store, e);
        }
    }

    /** The request ids of one client in the reply store. */
    static Set<String> storedIds(Path store, String client) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + store);
             var statement = db.prepareStatement("SELECT request_id FROM replies WHERE client = ?")) {
            statement.setString(1, client);
            Set<String> ids = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the reply store " + store, e);
        }
    }

    private interface Parse<T> {
        T get() throws IOException;
    }

    private static <T> T read(Parse<T> parse) {
        try {
            return parse.get();
        } catch (IOException e) {
            throw new UncheckedIOException("a record the pipeline wrote is not valid JSON", e);
        }
    }
}
