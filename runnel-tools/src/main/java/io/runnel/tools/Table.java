package io.runnel.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns as the Kafka tools print them: each column as wide as its widest cell, one space apart. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints a blank line, the header, then the rows. */
    void print(PrintWriter out) {
        int[] widths = widths();
        out.println();
        printRow(out, header, widths);
        rows.forEach(row -> printRow(out, row, widths));
    }

    /**
     * The header and the rows without a blank line first, every cell padded to its column's width and followed
     * by a tab, as Kafka's newer tools (kafka-metadata-quorum.sh) print tables.
     */
    void printTabbed(PrintWriter out) {
        int[] widths = widths();
        for (List<String> row : concat()) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length())).append('\t');
            }
            out.println(line);
        }
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private int[] widths() {
        int[] widths = new int[header.size()];
        for (List<String> row : concat()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        return widths;
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            line.append(cell);
            if (c < cells.size() - 1) {
                line.append(" ".repeat(widths[c] - cell.length() + 1));
            }
        }
        out.println(line);
    }
}
