package io.runnel.console.html;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTML built from constant templates whose {@code {}} holes take values escaped on the way in, so nothing read from
 * the cluster or a request is ever markup; a {@link Safe} value (markup built the same way) goes in as it is.
 */
public final class Html {
    private Html() {
    }

    /** Markup already escaped. */
    public record Safe(String html) {
        @Override
        public String toString() {
            return html;
        }
    }

    public static final Safe EMPTY = new Safe("");

    /** {@code template} with each {@code {}} replaced by the next argument, escaped unless it is {@link Safe}. */
    public static Safe html(String template, Object... args) {
        StringBuilder out = new StringBuilder(template.length() + 32 * args.length);
        int from = 0;
        for (Object arg : args) {
            int hole = template.indexOf("{}", from);
            if (hole < 0) {
                throw new IllegalArgumentException("more arguments than holes in " + template);
            }
            out.append(template, from, hole)
                    .append(arg instanceof Safe safe ? safe.html() : escape(String.valueOf(arg)));
            from = hole + 2;
        }
        if (template.indexOf("{}", from) >= 0) {
            throw new IllegalArgumentException("more holes than arguments in " + template);
        }
        return new Safe(out.append(template, from, template.length()).toString());
    }

    public static Safe join(List<Safe> parts) {
        StringBuilder out = new StringBuilder();
        parts.forEach(p -> out.append(p.html()));
        return new Safe(out.toString());
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One path segment or query value, percent-encoded. */
    public static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A table with these column headings; each cell a value (escaped) or {@link Safe}. */
    public static Safe table(List<String> headings, List<List<?>> rows) {
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table><thead><tr>");
        headings.forEach(h -> out.append(html("<th scope=\"col\">{}</th>", h).html()));
        out.append("</tr></thead><tbody>");
        for (List<?> row : rows) {
            out.append("<tr>");
            row.forEach(cell -> out.append(html("<td>{}</td>", cell == null ? "" : cell).html()));
            out.append("</tr>");
        }
        if (rows.isEmpty()) {
            out.append(html("<tr><td colspan=\"{}\" class=\"none\">None</td></tr>", headings.size()).html());
        }
        return new Safe(out.append("</tbody></table></div>").toString());
    }

    /** A link to a path built by the caller from escaped segments ({@link #url}). */
    public static Safe link(String href, String text) {
        return html("<a href=\"{}\">{}</a>", href, text);
    }

    /** A labelled text input. */
    public static Safe input(String name, String label, String value) {
        return html("<label for=\"f-{}\">{}</label><input id=\"f-{}\" name=\"{}\" value=\"{}\">", name, label, name,
                name, value == null ? "" : value);
    }

    /** A labelled select whose options are {@code values}, {@code selected} chosen. */
    public static Safe select(String name, String label, List<String> values, String selected) {
        StringBuilder options = new StringBuilder();
        for (String v : values) {
            options.append(html(v.equals(selected) ? "<option selected>{}</option>" : "<option>{}</option>", v));
        }
        return html("<label for=\"f-{}\">{}</label><select id=\"f-{}\" name=\"{}\">{}</select>", name, label, name,
                name, new Safe(options.toString()));
    }

    public static Safe hidden(String name, String value) {
        return html("<input type=\"hidden\" name=\"{}\" value=\"{}\">", name, value);
    }
}
