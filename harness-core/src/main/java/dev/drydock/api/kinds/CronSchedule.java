package dev.drydock.api.kinds;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob's schedule checked as kube checks it, with {@code robfig/cron/v3}'s standard parser: five fields
 * (minute, hour, day of month, month, day of week; names such as {@code jan} and {@code mon} allowed), or a
 * descriptor ({@code @hourly}, {@code @daily}, {@code @every 5m}...), optionally after {@code TZ=<zone>} or
 * {@code CRON_TZ=<zone>}. Errors are worded as that library words them, since kube passes them on.
 */
final class CronSchedule {

    private record Bounds(int min, int max, Map<String, Integer> names) {
    }

    private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
    private static final Bounds HOURS = new Bounds(0, 23, Map.of());
    private static final Bounds DOM = new Bounds(1, 31, Map.of());
    private static final Bounds MONTHS = new Bounds(1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11),
            Map.entry("dec", 12)));
    private static final Bounds DOW = new Bounds(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6));
    private static final List<Bounds> FIELDS = List.of(MINUTES, HOURS, DOM, MONTHS, DOW);

    private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)([^0-9.]*)");
    private static final List<String> DURATION_UNITS = List.of("ns", "us", "µs", "μs", "ms", "s", "m", "h");

    private CronSchedule() {
    }

    /** Why {@code spec} is not a valid schedule, worded as {@code cron.ParseStandard}, or null if it is. */
    static String check(String spec) {
        if (spec.isEmpty()) {
            return "empty spec string";
        }
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            int eq = spec.indexOf('=');
            String zone = space < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, space);
            String why = zoneError(zone);
            if (why != null) {
                return "provided bad location " + zone + ": " + why;
            }
            spec = space < 0 ? "" : spec.substring(space).trim();
        }
        if (spec.startsWith("@")) {
            return descriptor(spec);
        }
        String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
        if (fields.length != FIELDS.size()) {
            return "expected exactly " + FIELDS.size() + " fields, found " + fields.length + ": ["
                    + String.join(" ", fields) + "]";
        }
        for (int i = 0; i < fields.length; i++) {
            for (String expr : fields[i].split(",")) {
                if (expr.isEmpty()) {
                    continue; // strings.FieldsFunc skips empty items
                }
                String why = range(expr, FIELDS.get(i));
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /** Go's {@code time.LoadLocation} error for a zone name, or null if the zone is known ("" is UTC). */
    static String zoneError(String zone) {
        if (zone.isEmpty() || zone.equals("UTC") || zone.equals("Local")) {
            return null;
        }
        try {
            ZoneId.of(zone);
            return null;
        } catch (DateTimeException e) {
            return "unknown time zone " + zone;
        }
    }

    private static String descriptor(String spec) {
        switch (spec) {
            case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly" -> {
                return null;
            }
            default -> {
            }
        }
        String every = "@every ";
        if (spec.startsWith(every)) {
            String why = durationError(spec.substring(every.length()));
            return why == null ? null : "failed to parse duration " + spec + ": " + why;
        }
        return "unrecognized descriptor: " + spec;
    }

    /** Go's {@code time.ParseDuration} error, or null if {@code s} parses. */
    static String durationError(String s) {
        String orig = s;
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return null;
        }
        if (s.isEmpty()) {
            return "time: invalid duration \"" + orig + "\"";
        }
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                return "time: invalid duration \"" + orig + "\"";
            }
            String number = m.group(1);
            String unit = m.group(2);
            if (number.isEmpty() || number.equals(".")) {
                return "time: invalid duration \"" + orig + "\"";
            }
            if (unit.isEmpty()) {
                return "time: missing unit in duration \"" + orig + "\"";
            }
            if (!DURATION_UNITS.contains(unit)) {
                return "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"";
            }
            at = m.end();
        }
        return null;
    }

    /** robfig's {@code getRange} for one comma-separated item of a field. */
    private static String range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min();
            end = b.max();
        } else {
            Object s = intOrName(lowAndHigh[0], b);
            if (s instanceof String why) {
                return why;
            }
            start = (Long) s;
            switch (lowAndHigh.length) {
                case 1 -> end = start;
                case 2 -> {
                    Object e = intOrName(lowAndHigh[1], b);
                    if (e instanceof String why) {
                        return why;
                    }
                    end = (Long) e;
                }
                default -> {
                    return "too many hyphens: " + expr;
                }
            }
        }
        long step;
        switch (rangeAndStep.length) {
            case 1 -> step = 1;
            case 2 -> {
                Object st = parseInt(rangeAndStep[1]);
                if (st instanceof String why) {
                    return why;
                }
                step = (Long) st;
                if (single) {
                    end = b.max(); // "N/step" means "N-max/step"
                }
            }
            default -> {
                return "too many slashes: " + expr;
            }
        }
        if (start < b.min()) {
            return "beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr;
        }
        if (end > b.max()) {
            return "end of range (" + end + ") above maximum (" + b.max() + "): " + expr;
        }
        if (start > end) {
            return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
        }
        if (step == 0) {
            return "step of range should be a positive number: " + expr;
        }
        return null;
    }

    /** A number or (for months and days of the week) a name; an error message (a String) when neither. */
    private static Object intOrName(String expr, Bounds b) {
        Integer named = b.names().get(expr.toLowerCase(Locale.ROOT));
        return named != null ? (Object) (long) named : parseInt(expr);
    }

    /** robfig's {@code mustParseInt} with Go's {@code strconv.Atoi} errors. */
    private static Object parseInt(String expr) {
        long num;
        try {
            String digits = expr.startsWith("+") ? expr.substring(1) : expr;
            if (digits.isEmpty() || digits.startsWith("+") || !digits.replaceFirst("^-", "").chars()
                    .allMatch(Character::isDigit) || digits.equals("-")) {
                throw new NumberFormatException();
            }
            num = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            String why = expr.replaceFirst("^[+-]", "").chars().allMatch(Character::isDigit) && !expr.isEmpty()
                    && expr.replaceFirst("^[+-]", "").length() > 0 ? "value out of range" : "invalid syntax";
            return "failed to parse int from " + expr + ": strconv.Atoi: parsing " + KindChecks.goQuote(expr) + ": "
                    + why;
        }
        if (num < 0) {
            return "negative number (" + num + ") not allowed: " + expr;
        }
        return num;
    }
}
