package dev.pipeline.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Kafka broker: its test methods, constructor and lifecycle
 * methods may declare a {@link KafkaBroker} parameter. See {@link KafkaBrokerExtension} for which
 * broker that is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafka {
}
