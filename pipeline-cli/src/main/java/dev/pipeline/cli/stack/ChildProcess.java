package dev.pipeline.cli.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.pipeline.cli.Main;

/**
 * One {@code pipeline <command>} run as a child OS process, the way a user would run it in a
 * terminal: same java, same jar, same JVM flags. Its output lines are copied to ours behind a
 * name prefix. Threads: the caller starts and stops it; two virtual threads copy its output.
 */
public final class ChildProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<Thread> pumps = new ArrayList<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code pipeline args...} in a new JVM with {@code maxHeap}; {@code readyWhen} picks
     * the stdout line that says it is up. Output goes to {@code out} behind {@code [name]}.
     */
    public static ChildProcess start(String name, List<String> args, String maxHeap, Predicate<String> readyWhen,
                                     PrintStream out) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // a session of its own: Ctrl-C in the terminal reaches only the parent, which stops
            // the children in order, instead of every process at once
            command.add(SETSID.toString());
        }
        command.addAll(javaCommand(maxHeap));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        try {
            ChildProcess child = new ChildProcess(name, builder.start());
            String prefix = String.format("[%-12s] ", name);
            child.pump(child.process.getInputStream(), out, prefix, readyWhen);
            child.pump(child.process.getErrorStream(), out, prefix, line -> false);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** java, this JVM's module/unsafe flags, the heap bound, then this jar (or class path) and Main. */
    static List<String> javaCommand(String maxHeap) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // keep what the launcher set for kafka-clients; not heap sizes, agents or debuggers
            if (arg.startsWith("--sun-misc-unsafe-memory-access") || arg.startsWith("--enable-native-access")) {
                command.add(arg);
            }
        }
        command.add("-Xmx" + maxHeap);
        Path codeSource = codeSource();
        if (Files.isRegularFile(codeSource)) {
            command.add("-jar");
            command.add(codeSource.toString());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
        }
        return command;
    }

    private static Path codeSource() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the pipeline jar", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the ready line.
     *
     * @throws IllegalStateException if the process exits first or the timeout passes
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s");
            }
        }
    }

    /** Sends SIGTERM (no-op if it has exited). */
    public void terminate() {
        // through the handle: Process.destroy() would also close the pipes and lose its last lines
        process.toHandle().destroy();
    }

    /** Sends SIGKILL and waits for the exit (the fault a crash or an OOM killer makes). */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** Sends a signal by name, e.g. {@code STOP} or {@code CONT}, with kill(1). */
    public void signal(String name) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill(1)", e);
        }
    }

    /** The exit code, or empty while it runs. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    /** Waits for the exit; SIGKILL after {@code timeout}. Returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (Thread pump : pumps) {
            pump.join(Duration.ofSeconds(2));
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    private void pump(InputStream stream, PrintStream out, String prefix, Predicate<String> readyWhen) {
        pumps.add(Thread.ofVirtual().name(name + "-output").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    out.println(prefix + line);
                    if (readyWhen.test(line)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the process ends: nothing more to copy
            }
        }));
    }
}
