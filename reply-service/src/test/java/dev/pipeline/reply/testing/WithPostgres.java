package dev.pipeline.reply.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a throwaway PostgreSQL server (one per test JVM, stopped at its
 * end); its methods may declare a {@link PostgresServer} parameter. Without PostgreSQL installed
 * the class is skipped, saying so.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresExtension.class)
public @interface WithPostgres {
}
