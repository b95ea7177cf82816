package dev.drydock.samples;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The JVM's class histogram of live objects (what {@code jcmd <pid> GC.class_histogram} prints, taken in process
 * through the {@code DiagnosticCommand} MBean, after a full GC), and the classes whose share grew between two.
 * For finding where a benchmark's heap goes.
 */
final class HeapHistogram {

    private HeapHistogram() {
    }

    /** Instances and bytes per class name, of live objects only (the command runs a full GC first). */
    static Map<String, long[]> take() throws Exception {
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> out = new HashMap<>();
        for (String line : text.toString().split("\n")) {
            // "   1:        123456       7890123  java.lang.String (java.base@17)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return out;
    }

    /** Prints the {@code top} classes whose bytes grew most from {@code before} to {@code after}. */
    static void printGrowth(PrintStream out, String prefix, Map<String, long[]> before, Map<String, long[]> after,
                            int top) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += d[1];
            growth.add(Map.entry(e.getKey(), d));
        }
        growth.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        out.printf(Locale.ROOT, "%sheap grew %d bytes; by class (instances, bytes):%n", prefix, total);
        for (Map.Entry<String, long[]> e : growth.subList(0, Math.min(top, growth.size()))) {
            out.printf(Locale.ROOT, "%s%12d %12d  %s%n", prefix, e.getValue()[0], e.getValue()[1], e.getKey());
        }
    }
}
