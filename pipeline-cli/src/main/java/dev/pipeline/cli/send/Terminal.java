package dev.pipeline.cli.send;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the user watches a terminal, so drawing a progress line there makes sense. */
final class Terminal {

    private Terminal() {
    }

    /**
     * {@code System.console() != null}, and on JDK 22+ (where a console may exist for redirected
     * streams) also {@code Console.isTerminal()}, looked up reflectively: the build targets 21.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
