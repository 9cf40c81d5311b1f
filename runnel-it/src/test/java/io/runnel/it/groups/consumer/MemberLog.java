package io.runnel.it.groups.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a {@link ConsumerMember}'s log says: the partitions it owns now, the records it processed, its commits. */
record MemberLog(Set<Integer> owned, List<Entry> processed, List<Entry> commits) {
    /** A processed record (offset) or a commit (next offset to read), with the time it was logged. */
    record Entry(int partition, long offset, long nanoTime) {
    }

    static MemberLog parse(String text) {
        Set<Integer> owned = new TreeSet<>();
        List<Entry> processed = new ArrayList<>();
        List<Entry> commits = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "a" -> owned.add(Integer.parseInt(f[1]));
                case "v" -> owned.remove(Integer.parseInt(f[1]));
                case "r", "c" -> {
                    if (f.length == 4) {
                        Entry entry = new Entry(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                        (f[0].equals("r") ? processed : commits).add(entry);
                    }
                }
                default -> {
                    // "x": a failed commit; an empty last line
                }
            }
        }
        return new MemberLog(owned, processed, commits);
    }
}
