package io.runnel.it;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Network namespaces {@code rnsplit-<run>-<i>}, one per node, each joined by a veth pair to the bridge
 * {@code rnsplit<run>} in the root namespace, on a private /24 that no address or route of the host uses: the
 * bridge has {@code .1} (so processes of the root namespace, the test JVM among them, reach every namespace) and
 * namespace i has {@code .(10 + i)}. Cutting namespace i off from the others adds blackhole routes on both sides
 * (connections fail or stall as on a lost link) and leaves its path to the root namespace intact. Needs root and
 * iproute2; everything is removed on close, and leftovers of an earlier run that could not clean up (any
 * namespace or link named {@code rnsplit*}) are removed first, so two runs must not overlap on one host.
 */
public final class NetworkNamespaces implements AutoCloseable {
    private static final String PREFIX = "rnsplit";
    private static final int[][] CANDIDATE_SUBNETS = {{10, 199, 71}, {10, 199, 83}, {10, 211, 47}, {172, 30, 203}};
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final String run;
    private final String subnet;
    private final int size;
    private final List<String> created = new ArrayList<>();

    private NetworkNamespaces(String run, String subnet, int size) {
        this.run = run;
        this.subnet = subnet;
        this.size = size;
    }

    /**
     * Creates {@code size} connected namespaces, numbered from 1. The test is skipped (an assumption naming the
     * command) when this host cannot create a namespace, e.g. without root.
     */
    public static NetworkNamespaces create(int size) {
        removeLeftovers();
        String run = randomSuffix();
        NetworkNamespaces net = new NetworkNamespaces(run, freeSubnet(), size);
        try {
            net.build();
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** The address of namespace {@code i}. */
    public String address(int i) {
        return subnet + "." + (10 + i);
    }

    /** The command that runs a program inside namespace {@code i}. */
    public List<String> execIn(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Cuts namespace {@code i} off from every other namespace; the root namespace still reaches it. */
    public void isolate(int i) {
        routesAround(i, "add");
    }

    /** Undoes {@link #isolate}. */
    public void heal(int i) {
        routesAround(i, "del");
    }

    private void routesAround(int i, String action) {
        for (int j = 1; j <= size; j++) {
            if (j != i) {
                run("ip", "-n", namespace(i), "route", action, "blackhole", address(j) + "/32");
                run("ip", "-n", namespace(j), "route", action, "blackhole", address(i) + "/32");
            }
        }
    }

    private String namespace(int i) {
        return PREFIX + "-" + run + "-" + i;
    }

    private String bridge() {
        return PREFIX + run;
    }

    private void build() {
        String first = namespace(1);
        Result probe = exec("ip", "netns", "add", first);
        if (probe.exitCode != 0) {
            abort("network namespaces are unavailable: 'ip netns add " + first + "' failed: " + probe.output);
        }
        created.add(first);
        created.add(bridge());
        run("ip", "link", "add", bridge(), "type", "bridge");
        run("ip", "addr", "add", subnet + ".1/24", "dev", bridge());
        run("ip", "link", "set", bridge(), "up");
        for (int i = 1; i <= size; i++) {
            String ns = namespace(i);
            if (i > 1) {
                created.add(ns);
                run("ip", "netns", "add", ns);
            }
            String outside = bridge() + "r" + i;
            String inside = bridge() + "n" + i;
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", ns);
            run("ip", "link", "set", outside, "master", bridge());
            run("ip", "link", "set", outside, "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", inside);
            run("ip", "-n", ns, "link", "set", inside, "up");
        }
    }

    /** Deleting a namespace deletes the veth ends inside it and so their peers on the bridge. */
    @Override
    public void close() {
        for (String name : created) {
            if (name.startsWith(PREFIX + "-")) {
                exec("ip", "netns", "del", name);
            } else {
                exec("ip", "link", "del", name);
            }
        }
    }

    private static void removeLeftovers() {
        Result namespaces = exec("ip", "netns", "list");
        for (String line : namespaces.output.split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith(PREFIX + "-")) {
                exec("ip", "netns", "del", name);
            }
        }
        Result links = exec("ip", "-o", "link", "show");
        for (String line : links.output.split("\n")) {
            String[] fields = line.split(": ");
            if (fields.length > 1 && fields[1].startsWith(PREFIX)) {
                exec("ip", "link", "del", fields[1].split("@")[0]);
            }
        }
    }

    /** The first candidate /24 in which the host has no address and no route. */
    private static String freeSubnet() {
        String inUse = (" " + exec("ip", "-o", "addr", "show").output + "\n"
                + exec("ip", "route", "show", "table", "all").output).replace("\n", "\n ");
        for (int[] c : CANDIDATE_SUBNETS) {
            String prefix = c[0] + "." + c[1] + "." + c[2];
            if (!inUse.contains(" " + prefix + ".")) {
                return prefix;
            }
        }
        throw new IllegalStateException("every candidate subnet is in use on this host: " + inUse);
    }

    private static String randomSuffix() {
        SecureRandom random = new SecureRandom();
        return IntStream.range(0, 5).mapToObj(i -> Character.toString("abcdefghijklmnopqrstuvwxyz0123456789"
                .charAt(random.nextInt(36)))).reduce("", String::concat);
    }

    private static void run(String... command) {
        Result result = exec(command);
        if (result.exitCode != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + result.output);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "no exit within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output.strip());
        } catch (IOException e) {
            return abort("'" + String.join(" ", command) + "' cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
