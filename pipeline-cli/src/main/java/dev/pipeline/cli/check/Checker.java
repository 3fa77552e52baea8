package dev.pipeline.cli.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;

/**
 * Judges a pipeline from its data alone, the way Kafka's transaction system tests and Jepsen's
 * checkers do: reads the requests, the committed and the uncommitted replies, the dead letters and
 * the store, and counts anomalies. It only reads; run it when the stack is idle (nothing in flight),
 * or requests still on their way count as lost.
 */
public final class Checker {

    private static final int EXAMPLES = 5;

    /**
     * Where to look.
     *
     * @param topics     the pipeline's topics
     * @param accepted   the NDJSON log of accepted requests ({@code {"id","key","seq"}} per line), or null:
     *                   then every request in the requests topic must have a reply
     * @param storeUrl   JDBC URL of the reply store, or null to skip the store
     * @param dbUser     database user, or null
     * @param dbPassword database password, or null
     * @param timeout    to read each topic partition to its end
     */
    public record Inputs(Topics topics, Path accepted, String storeUrl, String dbUser, String dbPassword, Duration timeout) {
    }

    private record AcceptedRequest(String key, long seq) {
    }

    private record ReplyRecord(int partition, long offset, String key, String requestId, String source, String value) {
    }

    private final KafkaClients clients;
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    public Checker(KafkaClients clients) {
        this.clients = clients;
    }

    public CheckResult check(Inputs in) throws IOException, SQLException {
        TopicReader reader = new TopicReader(clients, in.timeout());
        Map<String, AcceptedRequest> accepted = in.accepted() == null ? null : readAccepted(in.accepted());

        // the requests topic, as the processors read it: ids and where each record is
        Map<String, Integer> requestCopies = new HashMap<>();
        Map<String, String> idAt = new HashMap<>(); // "partition@offset" -> request id, or null if unreadable
        long[] unreadable = {0};
        long requestRecords = reader.read(in.topics().requests(), true, record -> {
            String id = requestId(record);
            idAt.put(record.partition() + "@" + record.offset(), id);
            if (id == null) {
                unreadable[0]++;
            } else {
                requestCopies.merge(id, 1, Integer::sum);
            }
        });

        // committed replies in topic order; then, up to where those reads ended, the records of
        // aborted transactions. Past that end a transaction is still open: undecided.
        List<ReplyRecord> committed = new ArrayList<>();
        Map<Integer, Long> stable = new HashMap<>();
        reader.read(in.topics().replies(), true, null, stable, record -> committed.add(replyRecord(record)));
        Set<String> committedPositions = new HashSet<>();
        committed.forEach(r -> committedPositions.add(r.partition() + "@" + r.offset()));
        Map<String, Set<String>> abortedValues = new HashMap<>();
        long[] aborted = {0};
        reader.read(in.topics().replies(), false, stable, new HashMap<>(), record -> {
            if (!committedPositions.contains(record.partition() + "@" + record.offset())) {
                ReplyRecord r = replyRecord(record);
                aborted[0]++;
                abortedValues.computeIfAbsent(r.requestId(), id -> new HashSet<>()).add(r.value());
            }
        });
        long undecided = 0;
        for (Map.Entry<Integer, Long> e : reader.ends(in.topics().replies(), false).entrySet()) {
            undecided += Math.max(0, e.getValue() - stable.getOrDefault(e.getKey(), e.getValue()));
        }

        // committed dead letters (a group-mode processor writes them in its transaction), matched
        // to the request record they came from
        Set<String> deadPositions = new HashSet<>();
        Set<String> deadIds = new HashSet<>();
        long deadLetters = reader.read(in.topics().dlq(), true, record -> {
            String position = header(record, RecordHeaders.DLQ_SOURCE_PARTITION) + "@" + header(record, RecordHeaders.DLQ_SOURCE_OFFSET);
            if (in.topics().requests().equals(header(record, RecordHeaders.DLQ_SOURCE_TOPIC))) {
                deadPositions.add(position);
            }
            String id = header(record, RecordHeaders.REQUEST_ID);
            if (id == null) {
                id = idAt.get(position); // a dead letter without the record's headers (dlq.dropped)
            }
            if (id != null) {
                deadIds.add(id);
            }
        });

        // replies per request record and per request id
        Map<String, Integer> repliesPerSource = new HashMap<>();
        Map<String, Set<String>> committedValues = new HashMap<>();
        for (ReplyRecord r : committed) {
            repliesPerSource.merge(r.source() != null ? r.source() : "id:" + r.requestId(), 1, Integer::sum);
            committedValues.computeIfAbsent(r.requestId(), id -> new HashSet<>()).add(r.value());
        }
        long duplicateReplies = 0;
        for (Map.Entry<String, Integer> e : repliesPerSource.entrySet()) {
            if (e.getValue() > 1) {
                duplicateReplies += e.getValue() - 1;
                example("duplicate replies", e.getKey() + " x" + e.getValue());
            }
        }

        // lost: a request record with no committed reply and no committed dead letter (by where
        // the record is, or by its id for replies without the request.* headers), and an accepted
        // request that never reached the requests topic
        long lost = 0;
        for (Map.Entry<String, String> e : idAt.entrySet()) {
            String position = e.getKey();
            String id = e.getValue();
            boolean answered = repliesPerSource.containsKey(position) || deadPositions.contains(position)
                    || id != null && repliesPerSource.containsKey("id:" + id);
            if (!answered) {
                lost++;
                example("lost", "request record " + position + (id == null ? " (no readable id)" : " " + id) + ": no reply, no dead letter");
            }
        }
        if (accepted != null) {
            for (String id : accepted.keySet()) {
                if (!requestCopies.containsKey(id)) {
                    lost++;
                    example("lost", id + ": accepted, and not in the requests topic");
                }
            }
        }

        long orderViolations = orderViolations(committed, accepted);

        long storeRows = -1;
        long duplicateRows = -1;
        long missingFromStore = -1;
        long abortedReads = -1;
        long unknownRows = -1;
        if (in.storeUrl() != null) {
            Map<String, List<String>> rows = readStore(in);
            storeRows = rows.values().stream().mapToLong(List::size).sum();
            duplicateRows = 0;
            abortedReads = 0;
            unknownRows = 0;
            for (Map.Entry<String, List<String>> e : rows.entrySet()) {
                if (e.getValue().size() > 1) {
                    duplicateRows += e.getValue().size() - 1;
                    example("duplicate rows", e.getKey() + " x" + e.getValue().size());
                }
                for (String json : e.getValue()) {
                    if (committedValues.getOrDefault(e.getKey(), Set.of()).contains(json)) {
                        continue;
                    }
                    if (abortedValues.getOrDefault(e.getKey(), Set.of()).contains(json)) {
                        abortedReads++;
                        example("aborted replies seen", e.getKey());
                    } else {
                        unknownRows++;
                        example("unknown store rows", e.getKey());
                    }
                }
            }
            missingFromStore = 0;
            for (String id : committedValues.keySet()) {
                if (!rows.containsKey(id)) {
                    missingFromStore++;
                    example("missing from store", id);
                }
            }
        }
        long writtenTwice = requestCopies.values().stream().filter(n -> n > 1).count();
        return new CheckResult(accepted == null ? -1 : accepted.size(), requestRecords, writtenTwice, unreadable[0],
                committed.size(), aborted[0], undecided, deadLetters, storeRows, lost, duplicateReplies, duplicateRows,
                missingFromStore, orderViolations, abortedReads, unknownRows, examples);
    }

    /**
     * Per key, in the order of the replies topic: each reply must answer a request that came later
     * in the requests topic than the one before it, and (with the accepted log) carry a sequence
     * number no lower than the one before it.
     */
    private long orderViolations(List<ReplyRecord> committed, Map<String, AcceptedRequest> accepted) {
        Map<String, Long> lastOffset = new HashMap<>(); // "key|request partition" -> request offset
        Map<String, Long> lastSeq = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long violations = 0;
        for (ReplyRecord r : committed) {
            if (r.key() == null) {
                continue;
            }
            boolean violated = false;
            if (r.source() != null) {
                String[] parts = r.source().split("@");
                String slot = r.key() + "|" + parts[0];
                long offset = Long.parseLong(parts[1]);
                Long last = lastOffset.get(slot);
                if (last != null && offset < last) {
                    violated = true;
                }
                lastOffset.put(slot, last == null ? offset : Math.max(last, offset));
            }
            AcceptedRequest a = accepted == null ? null : accepted.get(r.requestId());
            if (a != null && seen.add(r.requestId())) {
                // a second reply to the same request (a resent copy) says nothing about order
                Long last = lastSeq.get(a.key());
                if (last != null && a.seq() < last) {
                    violated = true;
                }
                lastSeq.put(a.key(), last == null ? a.seq() : Math.max(last, a.seq()));
            }
            if (violated) {
                violations++;
                example("order violations", "key " + r.key() + ": reply for " + r.requestId() + " at "
                        + r.partition() + "@" + r.offset() + " came after a later request's");
            }
        }
        return violations;
    }

    private void example(String anomaly, String what) {
        List<String> list = examples.computeIfAbsent(anomaly, a -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(what);
        }
    }

    private static Map<String, AcceptedRequest> readAccepted(Path file) throws IOException {
        Map<String, AcceptedRequest> accepted = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(line);
                JsonNode id = node.get("id");
                if (id == null || !id.isTextual()) {
                    throw new IOException(file + " line " + number + ": no \"id\" string");
                }
                JsonNode key = node.get("key");
                JsonNode seq = node.get("seq");
                accepted.put(id.textValue(), new AcceptedRequest(key == null ? null : key.asText(), seq == null ? -1 : seq.asLong()));
            }
        }
        return accepted;
    }

    private static Map<String, List<String>> readStore(Inputs in) throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        java.util.Properties properties = new java.util.Properties();
        if (in.dbUser() != null) {
            properties.setProperty("user", in.dbUser());
        }
        if (in.dbPassword() != null) {
            properties.setProperty("password", in.dbPassword());
        }
        if (in.storeUrl().startsWith("jdbc:sqlite:")) {
            properties.setProperty("open_mode", "1"); // read only: never create an empty store where none is
        }
        try (Connection connection = DriverManager.getConnection(in.storeUrl(), properties);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT request_id, reply FROM replies")) {
            while (result.next()) {
                rows.computeIfAbsent(result.getString(1), id -> new ArrayList<>(1)).add(result.getString(2));
            }
        }
        return rows;
    }

    private static String requestId(ConsumerRecord<byte[], byte[]> record) {
        String id = header(record, RecordHeaders.REQUEST_ID);
        if (id != null) {
            return id;
        }
        try {
            return Json.readRequest(record.value()).id().value();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ReplyRecord replyRecord(ConsumerRecord<byte[], byte[]> record) {
        String id = header(record, RecordHeaders.REQUEST_ID);
        String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        if (id == null) {
            try {
                id = Json.readReply(record.value()).requestId().value();
            } catch (IOException | RuntimeException e) {
                id = "unreadable reply " + record.partition() + "@" + record.offset();
            }
        }
        String partition = header(record, RecordHeaders.REQUEST_PARTITION);
        String offset = header(record, RecordHeaders.REQUEST_OFFSET);
        String source = partition != null && offset != null ? partition + "@" + offset : null;
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new ReplyRecord(record.partition(), record.offset(), key, id, source, value);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
