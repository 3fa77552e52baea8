package dev.pipeline.core.runtime;

/**
 * A setting is wrong: start-up stops with a message naming the setting, its value and what it
 * must be. Thrown from config records' constructors.
 */
public final class ConfigException extends RuntimeException {

    private final String setting;

    public ConfigException(String setting, Object value, String requirement) {
        super(setting + " " + requirement + " (got " + (value instanceof String s ? '"' + s + '"' : value) + ")");
        this.setting = setting;
    }

    /** The setting's name as users know it, e.g. {@code port}. */
    public String setting() {
        return setting;
    }
}
