package dev.pipeline.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM started as a separate OS process, the way users run the services: its output is
 * collected line by line (and logged with a prefix), tests wait for a line, then stop it with
 * SIGTERM ({@link #terminate}) or SIGKILL ({@link #kill}). Closing it kills what is still running.
 */
public final class JavaProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaProcess.class);

    private final String name;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();

    private JavaProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code java [flags] -jar jar args} with the java of this JVM, in {@code workDir},
     * with {@code env} added to this process's environment.
     */
    public static JavaProcess startJar(String name, Path jar, List<String> args, Path workDir, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(env);
        try {
            JavaProcess started = new JavaProcess(name, builder.start());
            started.pump(started.process.getInputStream(), started.stdout, "out");
            started.pump(started.process.getErrorStream(), started.stderr, "err");
            log.info("started {} (pid {}): {}", name, started.pid(), String.join(" ", command));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Flags this project's JVMs get on JDK 24+: kafka-clients' Unsafe and native access. */
    public static List<String> jvmFlags() {
        return Runtime.version().feature() >= 24
                ? List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")
                : List.of();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Lines written to stdout so far. */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** Lines written to stderr so far. */
    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /**
     * Waits until a stdout line matches and returns it; fails early, with the output, if the
     * process exits first.
     */
    public String awaitStdoutLine(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : stdout) {
                if (matching.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue()
                        + " before printing the expected line" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print the expected line within " + timeout + output());
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) {
        // through the handle: Process.destroy() would also close the pipes and lose the last output
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    /** Sends SIGKILL and waits for the exit; returns the exit code. */
    public int kill(Duration timeout) {
        process.toHandle().destroyForcibly();
        return awaitExit(timeout);
    }

    /** Waits for the process to exit by itself; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + output());
            }
            // the last lines may still be in the pipes: read them before anyone looks
            for (Thread pump : pumps) {
                pump.join(Duration.ofSeconds(5));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String output() {
        return "\n--- stdout of " + name + " ---\n" + String.join("\n", stdout)
                + "\n--- stderr of " + name + " ---\n" + String.join("\n", stderr);
    }

    private void pump(InputStream stream, List<String> lines, String which) {
        pumps.add(Thread.ofVirtual().name(name + "-" + which).start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    log.info("[{}] {}", name, line);
                }
            } catch (IOException e) {
                // the stream closes when the process dies; nothing left to read
            }
        }));
    }
}
