package dev.pipeline.reply.store;

/**
 * A position in the store: replies after it come later. On the wire it is an opaque string
 * (clients hand back what they were given); inside it is the row's sequence number.
 */
public record Cursor(long seq) implements Comparable<Cursor> {

    /** Before the first reply. */
    public static final Cursor START = new Cursor(0);

    public Cursor {
        if (seq < 0) {
            throw new IllegalArgumentException("a cursor is never negative (got " + seq + ")");
        }
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this service handed out */
    public static Cursor parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a cursor: pass back a cursor this service returned");
        }
        try {
            return new Cursor(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a cursor: pass back a cursor this service returned");
        }
    }

    @Override
    public int compareTo(Cursor other) {
        return Long.compare(seq, other.seq);
    }

    @Override
    public String toString() {
        return Long.toString(seq);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
