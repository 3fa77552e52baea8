package dev.pipeline.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link KafkaBroker} parameters with one broker per test JVM, chosen once:
 * <ol>
 *   <li>the broker named by the environment variable {@code KAFKA_BOOTSTRAP_SERVERS}, if set;</li>
 *   <li>Testcontainers' Kafka container, when {@code -Dpipeline.test.broker=testcontainers} and a
 *       Docker engine answers (image: {@code -Dpipeline.test.kafka.image}, default
 *       {@value BrokerSources#DEFAULT_KAFKA_IMAGE}), given the embedded broker's single-node and
 *       test settings through its {@code KAFKA_*} variables;</li>
 *   <li>otherwise this project's embedded KRaft broker.</li>
 * </ol>
 * A broker the kit started is stopped when the test JVM's test run ends (JUnit closes the values
 * of the root store).
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public KafkaBroker resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(BrokerSources.Running.class, key -> BrokerSources.start(), BrokerSources.Running.class)
                .broker();
    }
}
