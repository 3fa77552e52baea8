package dev.pipeline.core.kafka;

import java.util.List;
import java.util.regex.Pattern;

import dev.pipeline.core.runtime.ConfigException;

/**
 * The pipeline's topic names, all under one prefix ({@code pipeline.} by default), so several
 * pipelines can share a cluster.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "pipeline.";
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{0,200}");

    public Topics {
        if (prefix == null || !LEGAL.matcher(prefix).matches()) {
            throw new ConfigException("topic prefix", prefix, "must be up to 200 letters, digits, '.', '_' or '-'");
        }
    }

    public String requests() {
        return prefix + "requests";
    }

    public String replies() {
        return prefix + "replies";
    }

    public String dlq() {
        return prefix + "dlq";
    }

    public List<String> all() {
        return List.of(requests(), replies(), dlq());
    }
}
