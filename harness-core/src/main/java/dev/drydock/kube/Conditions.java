package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Status conditions ({@code status.conditions}) as kube's helpers keep them ({@code meta.SetStatusCondition},
 * {@code podutil.UpdatePodCondition}, the node and deployment utilities): one condition per type, whose
 * {@code lastTransitionTime} moves only when its status changes.
 */
public final class Conditions {

    private Conditions() {
    }

    /** The condition of this type in {@code conditions} (an array, or missing), or null. */
    public static ObjectNode find(JsonNode conditions, String type) {
        if (conditions != null) {
            for (JsonNode c : conditions) {
                if (c.path("type").asText().equals(type) && c instanceof ObjectNode o) {
                    return o;
                }
            }
        }
        return null;
    }

    /** The status ({@code True}, {@code False}, {@code Unknown}) of the condition of this type, or null. */
    public static String status(JsonNode conditions, String type) {
        ObjectNode c = find(conditions, type);
        return c == null ? null : c.path("status").asText();
    }

    /**
     * Sets the condition of {@code type} in {@code conditions}, in place (where it was, or added at the end), with
     * kube's transition rule: {@code lastTransitionTime} is {@code now} if the status changed or the condition is
     * new, else it is kept. A null reason or message is left out.
     *
     * @param timeField the time field of the kind's conditions besides {@code lastTransitionTime}, in kube's
     *                  place: {@link #PROBE} (pods: null), {@link #HEARTBEAT} (nodes: now), {@link #UPDATE}
     *                  (deployments: now when status, reason or message changed), or null for none
     * @return the condition
     */
    public static ObjectNode set(ArrayNode conditions, String type, String status, String reason, String message,
                                 String timeField, Instant now) {
        return set(conditions, conditions.deepCopy(), type, status, reason, message, timeField, now);
    }

    /** A pod condition's {@code lastProbeTime}, which kube leaves null. */
    public static final String PROBE = "lastProbeTime";
    /** A node condition's {@code lastHeartbeatTime}: the time of each status report. */
    public static final String HEARTBEAT = "lastHeartbeatTime";
    /** A workload condition's {@code lastUpdateTime}: when status, reason or message last changed. */
    public static final String UPDATE = "lastUpdateTime";

    /**
     * As {@link #set(ArrayNode, String, String, String, String, String, Instant)}, into {@code conditions} being built anew,
     * taking the transition time from {@code previous} (the conditions as they were).
     */
    public static ObjectNode set(ArrayNode conditions, JsonNode previous, String type, String status, String reason,
                                 String message, String timeField, Instant now) {
        ObjectNode before = find(previous, type);
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean sameStatus = before != null && before.path("status").asText().equals(status);
        String transition = sameStatus && before.path("lastTransitionTime").isTextual()
                ? before.path("lastTransitionTime").asText() : time;
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", status);
        if (PROBE.equals(timeField)) {
            c.putNull(PROBE);
        } else if (HEARTBEAT.equals(timeField)) {
            c.put(HEARTBEAT, time);
        } else if (UPDATE.equals(timeField)) {
            boolean same = sameStatus && before.path("reason").asText("").equals(reason == null ? "" : reason)
                    && before.path("message").asText("").equals(message == null ? "" : message)
                    && before.path(UPDATE).isTextual();
            c.put(UPDATE, same ? before.path(UPDATE).asText() : time);
        }
        c.put("lastTransitionTime", transition);
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
        for (int i = 0; i < conditions.size(); i++) {
            if (conditions.get(i).path("type").asText().equals(type)) {
                conditions.set(i, c);
                return c;
            }
        }
        conditions.add(c);
        return c;
    }
}
