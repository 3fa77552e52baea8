package dev.pipeline.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.pipeline.cli.stack.ChildProcess;
import dev.pipeline.cli.stack.GroupReadiness;
import dev.pipeline.core.runtime.Durations;

/**
 * The faults of a chaos run, one after another, {@code interval} apart: processor SIGKILLs (each
 * restarted with the same instance id), one SIGSTOP beyond the session timeout, one broker
 * SIGKILL and restart, one reply-service SIGKILL and restart. Runs on the harness's thread.
 */
final class FaultScript {

    private final ChaosStack stack;
    private final Random random;
    private final Timeline timeline;
    private final int kills;
    private final Duration pause;
    private final Duration faultInterval;
    private final boolean noBrokerRestart;
    private final boolean noReplyRestart;
    private final boolean groupMode;
    private final int members;

    /**
     * @param pause     how long the paused processor stays stopped; zero for no pause
     * @param groupMode wait for a balanced consumer group after each restart (not in queue mode)
     * @param members   the group's members when balanced: processors x workers
     */
    FaultScript(ChaosStack stack, Random random, Timeline timeline, int kills, Duration pause, Duration faultInterval,
                boolean brokerRestart, boolean replyRestart, boolean groupMode, int members) {
        this.stack = stack;
        this.random = random;
        this.timeline = timeline;
        this.kills = kills;
        this.pause = pause;
        this.faultInterval = faultInterval;
        this.noBrokerRestart = !brokerRestart;
        this.noReplyRestart = !replyRestart;
        this.groupMode = groupMode;
        this.members = members;
    }

    /**
     * The fault script: kills spread over the run, with the pause, the broker restart and the
     * reply restart between them. Returns the number of faults injected.
     */
    int run(Thread workload) throws InterruptedException {
        // the pause after the 2nd kill, the broker after the 4th, the reply service after the 5th
        // (or at the end, with fewer kills)
        List<String> script = new ArrayList<>();
        Map<Integer, String> after = new LinkedHashMap<>();
        if (!pause.isZero()) {
            after.put(2, "pause");
        }
        if (!noBrokerRestart) {
            after.put(4, "broker");
        }
        if (!noReplyRestart) {
            after.put(5, "reply");
        }
        for (int i = 1; i <= kills; i++) {
            script.add("kill");
            if (after.containsKey(i)) {
                script.add(after.remove(i));
            }
        }
        script.addAll(after.values());
        int injected = 0;
        List<String> ids = new ArrayList<>(stack.processors().keySet());
        for (String fault : script) {
            Thread.sleep(faultInterval);
            if (!workload.isAlive()) {
                timeline.problem("the workload ended before a " + fault + " fault: it would hit an idle pipeline");
            }
            List<String> exited = stack.checkForUnexpectedExits();
            if (!exited.isEmpty()) {
                exited.forEach(timeline::problem);
                return injected;
            }
            switch (fault) {
                case "kill" -> {
                    String id = ids.get(random.nextInt(ids.size()));
                    ChildProcess p = stack.processors().get(id);
                    long t = System.nanoTime();
                    p.kill();
                    stack.startProcessor(id);
                    settle();
                    timeline.event("SIGKILL " + id, "pid " + p.pid() + "; restarted, and the group settled again after " + Timeline.since(t));
                }
                case "pause" -> {
                    String id = ids.get(random.nextInt(ids.size()));
                    ChildProcess p = stack.processors().get(id);
                    p.signal("STOP");
                    try {
                        timeline.event("SIGSTOP " + id, "pid " + p.pid() + " for " + Durations.format(pause));
                        Thread.sleep(pause);
                    } finally {
                        p.signal("CONT");
                    }
                    timeline.event("SIGCONT " + id, "its group membership has expired: it must be fenced");
                }
                case "broker" -> {
                    long t = System.nanoTime();
                    stack.broker().kill();
                    timeline.event("SIGKILL broker", "pid " + stack.broker().pid());
                    Thread.sleep(Duration.ofSeconds(2));
                    stack.startBroker();
                    timeline.event("broker restarted", "on the same data, ready after " + Timeline.since(t));
                }
                case "reply" -> {
                    long t = System.nanoTime();
                    stack.reply().kill();
                    timeline.event("SIGKILL reply", "pid " + stack.reply().pid());
                    Thread.sleep(Duration.ofSeconds(1));
                    stack.startReply();
                    timeline.event("reply restarted", "on the same store, ready after " + Timeline.since(t));
                }
                default -> throw new IllegalStateException(fault);
            }
            injected++;
        }
        return injected;
    }

    /**
     * In group mode, waits until every worker is a member again and the partitions are spread,
     * so the next fault hits a processor that holds partitions and has work in flight.
     */
    private void settle() throws InterruptedException {
        if (groupMode && !GroupReadiness.await(stack.bootstrap(), "pipeline-processor", "pipeline.requests",
                members, true, Duration.ofSeconds(60))) {
            timeline.event("note", "the group did not settle within 60 s after a restart; going on");
        }
    }
}
