package dev.drydock.samples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The CPU the JVM's own threads used, by kind, read from Linux's {@code /proc/self/task/<tid>/stat}: the JIT's
 * compiler threads and the garbage collector's threads are not Java threads, so {@code ThreadMXBean} does not see them.
 * The kernel counts in clock ticks (100 a second on Linux): over a window of seconds this is precise to a few percent.
 * Threads that ended within a window are not counted in it. Off Linux, {@link #available()} is false.
 */
final class NativeThreadCpu {

    /** What a thread does, told by the name HotSpot gives it. */
    enum Kind {
        /** {@code C1 CompilerThread<n>}, {@code C2 CompilerThread<n>} (the name is cut to 15 characters) */
        JIT,
        /** {@code GC Thread#<n>}, {@code G1 Conc#<n>}, {@code G1 Refine#<n>}, {@code G1 Main Marker}, ... */
        GC,
        /** everything else: Java threads, the VM thread, JFR */
        OTHER
    }

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICKS_PER_SECOND = 100;

    private NativeThreadCpu() {
    }

    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /** CPU used so far by the live threads of each kind, in nanoseconds; empty when /proc cannot be read. */
    static Map<Kind, Long> byKind() {
        Map<Kind, Long> sums = new EnumMap<>(Kind.class);
        if (!available()) {
            return sums;
        }
        for (Kind k : Kind.values()) {
            sums.put(k, 0L);
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                // after the name: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                sums.merge(kind(name), Math.round(ticks * 1e9 / TICKS_PER_SECOND), Long::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TASKS, e);
        }
        return sums;
    }

    static Kind kind(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return Kind.GC;
        }
        return Kind.OTHER;
    }
}
