package dev.pipeline.core.handler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.pipeline.core.runtime.ConfigException;

/**
 * The handlers by type: the built-ins plus every {@link Handler} found with
 * {@link ServiceLoader} on the class path and in the jars of a plugins folder. Immutable.
 */
public final class Handlers {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Map<String, Handler> byType;

    private Handlers(Map<String, Handler> byType) {
        this.byType = Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    /** Exactly these handlers; for tests. */
    public static Handlers of(Handler... handlers) {
        return fromList(List.of(handlers));
    }

    /**
     * Discovers handlers: the class path, then each {@code *.jar} in {@code pluginsDir} (which may
     * be null or missing: then only the class path).
     *
     * @throws ConfigException if two handlers claim one type, a type name is invalid, or a
     *                         plug-in cannot be loaded
     */
    public static Handlers discover(Path pluginsDir) {
        ClassLoader loader = pluginLoader(pluginsDir);
        List<Handler> found = new ArrayList<>();
        try {
            ServiceLoader.load(Handler.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("plugins", pluginsDir, "hold a handler that cannot be loaded: " + e.getMessage());
        }
        return fromList(found);
    }

    public Optional<Handler> find(String type) {
        return Optional.ofNullable(type == null ? null : byType.get(type));
    }

    public Set<String> types() {
        return byType.keySet();
    }

    private static Handlers fromList(List<Handler> handlers) {
        Map<String, Handler> byType = new TreeMap<>();
        for (Handler handler : handlers) {
            String type = handler.type();
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new ConfigException("handler type", type, "of " + handler.getClass().getName()
                        + " must be 1-64 lower-case letters, digits, '-' or '_'");
            }
            Handler previous = byType.putIfAbsent(type, handler);
            if (previous != null && previous.getClass() != handler.getClass()) {
                throw new ConfigException("handler type", type, "is claimed by both " + previous.getClass().getName()
                        + " and " + handler.getClass().getName());
            }
        }
        return new Handlers(byType);
    }

    private static ClassLoader pluginLoader(Path pluginsDir) {
        ClassLoader parent = Handlers.class.getClassLoader();
        if (pluginsDir == null || !Files.isDirectory(pluginsDir)) {
            return parent;
        }
        try (Stream<Path> files = Files.list(pluginsDir)) {
            List<URL> jars = new ArrayList<>();
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
            return jars.isEmpty() ? parent : new URLClassLoader("plugins", jars.toArray(URL[]::new), parent);
        } catch (MalformedURLException e) {
            throw new ConfigException("plugins", pluginsDir, "hold a jar with an invalid path: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins in " + pluginsDir, e);
        }
    }
}
