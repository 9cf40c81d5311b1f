package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process and the machine's load average, read from /proc. */
final class ProcStats {
    private static final int UTIME_AFTER_COMM = 11; // field 14 of /proc/<pid>/stat, counted from field 3 (state)
    private static final int STIME_AFTER_COMM = 12; // field 15

    private final double ticksPerSecond;

    ProcStats() throws IOException, InterruptedException {
        this.ticksPerSecond = clockTicksPerSecond();
    }

    /** User + system CPU seconds the process has used so far (all its threads). */
    double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
        return ticks / ticksPerSecond;
    }

    /** The process's resident set size in MiB: VmRSS of /proc/<pid>/status (heap touched so far, code, stacks...). */
    static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg writes them. */
    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double clockTicksPerSecond() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes()).trim();
        if (getconf.waitFor() != 0) {
            throw new IOException("getconf CLK_TCK failed: " + out);
        }
        return Double.parseDouble(out);
    }
}
