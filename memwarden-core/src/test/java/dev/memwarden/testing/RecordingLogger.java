package dev.memwarden.testing;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A System.Logger that keeps what it is given, for tests of what gets logged. */
public final class RecordingLogger implements System.Logger {
    /** One logged line. */
    public record Entry(Level level, String message, Throwable thrown) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public List<Entry> entries() {
        return entries;
    }

    /** Each entry as {@code LEVEL message}. */
    public List<String> lines() {
        return entries.stream().map(e -> e.level() + " " + e.message()).toList();
    }

    public List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, format, null));
    }

    @Override
    public void log(Level level, Supplier<String> message) {
        entries.add(new Entry(level, message.get(), null));
    }
}
