package dev.pipeline.cli.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The stdout table: every figure, then every goal with PASS, MISS or NOT_MEASURED. */
final class BenchText {

    static final String METHOD = "throughput (b, c, d): processors started in this JVM (ProcessorService objects; in (d) "
            + "one object per instance), group settled and a warm-up batch replied, then N requests produced straight "
            + "to the requests topic; time from the first send until N more replies are counted in the replies topic "
            + "(read_committed). (a) ProducerPerformance and EndToEndLatency as child JVMs. (e) ingest, 1 processor and "
            + "reply as child processes, SendRun at a fixed rate, submit to reply seen. (f) reader, 2 processor threads "
            + "and a writer joined by ArrayBlockingQueues, same JSON work, no Kafka.";

    private BenchText() {
    }

    static void print(PrintStream out, Map<String, Double> figures, List<Target> targets, double durability, Map<String, String> errors) {
        out.println();
        out.printf("%-45s %14s%n", "figure", "value");
        for (String name : Targets.FIGURES) {
            Double value = figures.get(name);
            out.printf("%-45s %14s%n", name, value == null ? "not measured" : Target.format(value));
        }
        out.println();
        out.printf("%-50s %10s %12s  %s%n", "goal", "measured", "goal", "verdict");
        for (Target t : targets) {
            out.printf("%-50s %10s %12s  %s%n", t.name(), Target.format(t.measured()) + " " + t.unit(), t.goal(), t.verdict());
        }
        out.printf("%-50s %10s %12s  %s%n", "EOS / in-process queues (what durability costs)", Target.format(durability) + " x", "-", "reference");
        if (!errors.isEmpty()) {
            out.println();
            errors.forEach((what, error) -> out.println("FAILED " + what + ": " + error));
        }
    }
}
