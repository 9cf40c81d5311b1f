package io.runnel.it.compat;

import java.util.List;
import java.util.regex.Pattern;

/** A driver's observation lines, one per line of its stdout (see {@link ClientScenario}). */
record DriverReport(List<String> all) {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    static DriverReport of(String stdout) {
        return new DriverReport(stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** The lines of one kind in the order printed. */
    List<String> lines(String kind) {
        return all.stream().filter(l -> l.startsWith(kind + " ")).toList();
    }

    /** The lines of one kind ordered field by field, numbers as numbers, so the order printed does not matter. */
    List<String> sorted(String kind) {
        return sort(lines(kind));
    }

    static List<String> sort(List<String> lines) {
        return lines.stream().sorted(DriverReport::compareFields).toList();
    }

    private static int compareFields(String a, String b) {
        String[] x = a.split(" ");
        String[] y = b.split(" ");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = NUMBER.matcher(x[i]).matches() && NUMBER.matcher(y[i]).matches()
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
