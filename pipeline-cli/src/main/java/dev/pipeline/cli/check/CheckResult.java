package dev.pipeline.cli.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Checker} counted. Counts of -1 mean "not checked" (no accepted log, no store).
 *
 * @param accepted             requests the workload saw accepted (202), from the accepted log
 * @param requestRecords       records in the requests topic
 * @param requestsWrittenTwice request ids that are in the requests topic more than once (a client
 *                             resent a request after an ambiguous failure; not a processing fault)
 * @param unreadableRequests   request records without a readable request id
 * @param committedReplies     replies in the replies topic, read_committed
 * @param abortedReplies       reply records of aborted transactions (read_uncommitted only)
 * @param undecided            reply offsets past the last stable offset: a transaction still open, not judged
 * @param deadLetters          records in the DLQ
 * @param storeRows            rows in the reply store
 * @param lost                 request records with no committed reply and no committed dead letter, plus accepted
 *                             requests that never reached the requests topic
 * @param duplicateReplies     committed replies beyond the first for one request record
 * @param duplicateRows        store rows beyond the first for one request id
 * @param missingFromStore     request ids with a committed reply and no store row
 * @param orderViolations      committed replies of a key that came before the reply of an earlier request of that key
 * @param abortedReads         store rows holding a reply of an aborted transaction, not a committed one
 * @param unknownRows          store rows that match no reply record at all
 * @param examples             up to a few request ids (or records) per anomaly, for a first look
 */
public record CheckResult(long accepted, long requestRecords, long requestsWrittenTwice, long unreadableRequests,
                          long committedReplies, long abortedReplies, long undecided, long deadLetters, long storeRows,
                          long lost, long duplicateReplies, long duplicateRows, long missingFromStore,
                          long orderViolations, long abortedReads, long unknownRows,
                          Map<String, List<String>> examples) {

    /** What a pipeline must never show; duplicate replies and order only count in exactly-once mode. */
    public Map<String, Long> anomalies(boolean exactlyOnce) {
        Map<String, Long> anomalies = new LinkedHashMap<>();
        anomalies.put("lost", lost);
        if (exactlyOnce) {
            anomalies.put("duplicate replies", duplicateReplies);
        }
        anomalies.put("duplicate rows", duplicateRows);
        anomalies.put("missing from store", missingFromStore);
        if (exactlyOnce) {
            anomalies.put("order violations", orderViolations);
        }
        anomalies.put("aborted replies seen", abortedReads);
        anomalies.put("unknown store rows", unknownRows);
        return anomalies;
    }

    public boolean clean(boolean exactlyOnce) {
        return anomalies(exactlyOnce).values().stream().allMatch(n -> n <= 0);
    }

    /** Every count by name, in a stable order, for text and JSON reports. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("accepted", accepted);
        counts.put("requestRecords", requestRecords);
        counts.put("requestsWrittenTwice", requestsWrittenTwice);
        counts.put("unreadableRequests", unreadableRequests);
        counts.put("committedReplies", committedReplies);
        counts.put("abortedReplies", abortedReplies);
        counts.put("undecided", undecided);
        counts.put("deadLetters", deadLetters);
        counts.put("storeRows", storeRows);
        counts.put("lost", lost);
        counts.put("duplicateReplies", duplicateReplies);
        counts.put("duplicateRows", duplicateRows);
        counts.put("missingFromStore", missingFromStore);
        counts.put("orderViolations", orderViolations);
        counts.put("abortedReads", abortedReads);
        counts.put("unknownRows", unknownRows);
        return counts;
    }
}
