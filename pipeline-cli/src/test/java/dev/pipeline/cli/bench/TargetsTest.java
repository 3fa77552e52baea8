package dev.pipeline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void ratioPassesAtTheLimitAndMissesBelowIt() {
        assertThat(Target.ratioAtLeast("r", 50, 100, 0.5).verdict()).isEqualTo(Target.Verdict.PASS);
        assertThat(Target.ratioAtLeast("r", 49, 100, 0.5).verdict()).isEqualTo(Target.Verdict.MISS);
        assertThat(Target.ratioAtLeast("r", 49, 100, 0.5).measured()).isEqualTo(0.49);
    }

    @Test
    void aMissingOrZeroDenominatorIsNotMeasured() {
        assertThat(Target.ratioAtLeast("r", 10, Double.NaN, 1).verdict()).isEqualTo(Target.Verdict.NOT_MEASURED);
        assertThat(Target.ratioAtLeast("r", 10, 0, 1).verdict()).isEqualTo(Target.Verdict.NOT_MEASURED);
    }

    @Test
    void latencyCeilingIsCommitIntervalPlusFourEndToEndP99() {
        Map<String, Double> figures = new HashMap<>(Map.of(Targets.E2E_P99, 8.0, Targets.LATENCY_P99, 131.0));

        Target latency = Targets.evaluate(figures).get(5);

        assertThat(latency.limit()).isEqualTo(132.0);
        assertThat(latency.verdict()).isEqualTo(Target.Verdict.PASS);
        figures.put(Targets.LATENCY_P99, 133.0);
        assertThat(Targets.evaluate(figures).get(5).verdict()).isEqualTo(Target.Verdict.MISS);
    }

    @Test
    void evaluatesEveryGoalFromOneRunsFigures() {
        Map<String, Double> figures = Map.of(
                Targets.PRODUCER_PERF, 100_000.0, Targets.EOS, 40_000.0, Targets.ALO, 42_000.0,
                Targets.SERIAL, 190.0, Targets.CONCURRENCY_16, 2_000.0, Targets.SHARE_16, 1_000.0,
                Targets.INSTANCES_1, 190.0, Targets.INSTANCES_4, 700.0);

        List<Target.Verdict> verdicts = Targets.evaluate(figures).stream().map(Target::verdict).toList();

        assertThat(verdicts).containsExactly(Target.Verdict.MISS, Target.Verdict.PASS, Target.Verdict.PASS,
                Target.Verdict.MISS, Target.Verdict.PASS, Target.Verdict.NOT_MEASURED);
    }

    @Test
    void durabilityRatioComparesExactlyOnceWithTheInProcessQueues() {
        assertThat(Targets.durabilityRatio(Map.of(Targets.EOS, 10_000.0, Targets.IN_PROCESS, 100_000.0))).isEqualTo(0.1);
        assertThat(Targets.durabilityRatio(Map.of(Targets.EOS, 10_000.0))).isNaN();
    }
}
