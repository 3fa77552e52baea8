package dev.pipeline.cli.chaos;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened in a chaos run and when: each event is printed at once and kept for the JSON
 * report; a problem is an event that fails the run. Used from the harness's one thread.
 */
final class Timeline {

    private final PrintWriter out;
    private final long started = System.nanoTime();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    Timeline(PrintWriter out) {
        this.out = out;
    }

    void event(String what, String detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", Math.round(seconds() * 10) / 10.0);
        e.put("event", what);
        e.put("detail", detail);
        events.add(e);
        out.printf("chaos %6.1fs  %-18s %s%n", seconds(), what, detail);
        out.flush();
    }

    void problem(String what) {
        problems.add(what);
        event("problem", what);
    }

    /** A problem found after the run, reported with the verdict rather than on the timeline. */
    void addProblem(String what) {
        problems.add(what);
    }

    List<Map<String, Object>> events() {
        return events;
    }

    List<String> problems() {
        return problems;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    static String since(long t) {
        return String.format("%.1f s", (System.nanoTime() - t) / 1e9);
    }
}
