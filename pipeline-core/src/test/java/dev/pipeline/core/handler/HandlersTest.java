package dev.pipeline.core.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.core.runtime.ConfigException;

class HandlersTest {

    @TempDir
    Path dir;

    @Test
    void theBuiltInHandlersAreFoundOnTheClassPath() {
        assertThat(Handlers.discover(null).types())
                .containsExactly("echo", "fail", "fib", "sha256", "sleep", "upper", "wordcount");
    }

    @Test
    void aJarInThePluginsFolderAddsATypeWithoutAFork() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        buildPluginJar(plugins.resolve("reverse.jar"));

        Handlers handlers = Handlers.discover(plugins);

        assertThat(handlers.types()).contains("reverse", "echo");
        Handler reverse = handlers.find("reverse").orElseThrow();
        Request request = new Request(1, new RequestId("r"), "c", "reverse", null, TextNode.valueOf("abc"), java.time.Instant.now(), null);
        assertThat(reverse.handle(new HandlerContext(request, 1))).isEqualTo(TextNode.valueOf("cba"));
        // the class came from the plug-in jar, not from this test's class path
        assertThat(reverse.getClass().getClassLoader()).isNotSameAs(HandlersTest.class.getClassLoader());
    }

    @Test
    void twoHandlersClaimingOneTypeStopStartUp() {
        Handler one = new Handler() {
            @Override
            public String type() {
                return "same";
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode handle(HandlerContext context) {
                return null;
            }
        };
        Handler other = new Handler() {
            @Override
            public String type() {
                return "same";
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode handle(HandlerContext context) {
                return null;
            }
        };

        assertThatThrownBy(() -> Handlers.of(one, other))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("handler type is claimed by both");
    }

    /** Compiles a one-class handler and packs it with its ServiceLoader entry into a jar. */
    private void buildPluginJar(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/example"));
        Files.writeString(src.resolve("Reverse.java"), """
                package example;
                public final class Reverse implements dev.pipeline.core.handler.Handler {
                    public String type() { return "reverse"; }
                    public com.fasterxml.jackson.databind.JsonNode handle(dev.pipeline.core.handler.HandlerContext c) {
                        return com.fasterxml.jackson.databind.node.TextNode.valueOf(
                                new StringBuilder(c.payload().asText()).reverse().toString());
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.resolve("Reverse.java").toString());
        assertThat(status).as("javac exit status").isZero();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry("example/Reverse.class"));
            jarOut.write(Files.readAllBytes(classes.resolve("example/Reverse.class")));
            jarOut.closeEntry();
            jarOut.putNextEntry(new JarEntry("META-INF/services/dev.pipeline.core.handler.Handler"));
            jarOut.write("example.Reverse\n".getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        assertThat(List.of(jar)).allMatch(Files::exists);
    }
}
