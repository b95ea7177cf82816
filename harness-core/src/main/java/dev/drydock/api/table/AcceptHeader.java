package dev.drydock.api.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of kube-apiserver's content negotiation to decide between a {@code meta.k8s.io/v1 Table} and the plain
 * JSON object: media ranges are tried best first (highest q, then concrete before wildcard, then header order) and
 * the first one the server can produce wins.
 */
final class AcceptHeader {

    private AcceptHeader() {
    }

    static boolean prefersV1Table(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        for (MediaRange range : sortedRanges(header)) {
            if (range.isV1JsonTable()) {
                return true;
            }
            if (range.isPlainJson()) {
                return false;
            }
            // Anything else (YAML, protobuf, a v1beta1 Table, PartialObjectMetadata...) is a range we do not serve
            // here, so the server would move on to the client's next choice.
        }
        return false;
    }

    private static List<MediaRange> sortedRanges(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        for (String clause : header.split(",")) {
            MediaRange range = MediaRange.parse(clause);
            if (range != null && range.quality() > 0) {
                ranges.add(range);
            }
        }
        // List.sort is stable, so equally ranked ranges keep the client's order.
        ranges.sort(Comparator.comparingDouble(MediaRange::quality).reversed()
                .thenComparing(r -> r.type().equals("*"))
                .thenComparing(r -> r.subtype().equals("*")));
        return ranges;
    }

    private record MediaRange(String type, String subtype, Map<String, String> params, double quality) {

        static MediaRange parse(String clause) {
            String[] parts = clause.split(";");
            String[] typeAndSubtype = parts[0].trim().toLowerCase(Locale.ROOT).split("/", 2);
            if (typeAndSubtype.length != 2 || typeAndSubtype[0].isEmpty() || typeAndSubtype[1].isEmpty()) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            double quality = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] pair = parts[i].split("=", 2);
                String name = pair[0].trim().toLowerCase(Locale.ROOT);
                String value = pair.length == 2 ? unquote(pair[1].trim()) : "";
                if (name.equals("q")) {
                    quality = parseQuality(value);
                } else if (!name.isEmpty()) {
                    params.put(name, value);
                }
            }
            return new MediaRange(typeAndSubtype[0], typeAndSubtype[1], params, quality);
        }

        boolean isJson() {
            return (type.equals("application") || type.equals("*"))
                    && (subtype.equals("json") || subtype.equals("*"));
        }

        boolean isPlainJson() {
            return isJson() && !params.containsKey("as");
        }

        boolean isV1JsonTable() {
            return type.equals("application") && subtype.equals("json")
                    && "Table".equals(params.get("as"))
                    && "meta.k8s.io".equals(params.get("g"))
                    && "v1".equals(params.get("v"));
        }

        private static String unquote(String value) {
            return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1) : value;
        }

        private static double parseQuality(String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
