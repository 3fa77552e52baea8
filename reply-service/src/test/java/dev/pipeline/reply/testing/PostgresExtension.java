package dev.pipeline.reply.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link PostgresServer} per test JVM, on first use, kept in the root context's store
 * so that JUnit closes it (an {@link AutoCloseable}) when the run ends.
 */
public final class PostgresExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    /** Per test, not per class: so that each test is reported as skipped, with the reason. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<Path> bin = PostgresServer.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL is not installed (apt-get install postgresql; "
                + "server binaries under /usr/lib/postgresql/<version>/bin, or set PG_BIN): skipping");
        server(context, bin.get());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context, PostgresServer.binaries().orElseThrow());
    }

    private static PostgresServer server(ExtensionContext context, Path bin) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresServer.class, key -> {
            try {
                return PostgresServer.start(bin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, PostgresServer.class);
    }
}
