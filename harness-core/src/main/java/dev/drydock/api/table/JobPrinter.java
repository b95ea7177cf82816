package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Jobs: NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR (kube's {@code printJob}): the status
 * from the Job's conditions, completions as {@code succeeded/completions}.
 */
final class JobPrinter implements Printer {

    /** batch/v1 JobSpec.selector, which the CronJob table's Selector column shows too. */
    static final String JOB_SELECTOR = "A label query over pods that should match the pod count. Normally, the "
            + "system sets this field for you. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Status", "Status of the job."),
            Column.string("Completions", "The number of pods which reached phase Succeeded. The value increases "
                    + "monotonically for a given spec. However, it may decrease in reaction to scale down of elastic "
                    + "indexed jobs."),
            Column.string("Duration", "Time required to complete the job."),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", JOB_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode job, Instant now) {
        long succeeded = Json.integer(job, "status", "succeeded");
        String completions;
        if (Json.has(job, "spec", "completions")) {
            completions = succeeded + "/" + Json.integer(job, "spec", "completions");
        } else {
            long parallelism = Json.integer(job, "spec", "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        Optional<Instant> start = Json.time(job, "status", "startTime");
        Optional<Instant> end = Json.time(job, "status", "completionTime");
        String duration = start.isEmpty() ? ""
                : HumanDuration.format(Duration.between(start.get(), end.orElse(now)));
        return List.of(
                Json.text(job, "metadata", "name"),
                status(job),
                completions,
                duration,
                HumanDuration.since(Json.time(job, "metadata", "creationTimestamp"), now),
                Containers.names(job),
                Containers.images(job),
                Selectors.formatLabelSelector(Json.at(job, "spec", "selector")));
    }

    private static String status(JsonNode job) {
        if (condition(job, "Complete")) {
            return "Complete";
        } else if (condition(job, "Failed")) {
            return "Failed";
        } else if (Json.has(job, "metadata", "deletionTimestamp")) {
            return "Terminating";
        } else if (condition(job, "Suspended")) {
            return "Suspended";
        } else if (condition(job, "FailureTarget")) {
            return "FailureTarget";
        } else if (condition(job, "SuccessCriteriaMet")) {
            return "SuccessCriteriaMet";
        }
        return "Running";
    }

    /** kube's {@code hasJobCondition}: the first condition of the type decides. */
    private static boolean condition(JsonNode job, String type) {
        for (JsonNode c : Json.elements(job, "status", "conditions")) {
            if (Json.text(c, "type").equals(type)) {
                return Json.text(c, "status").equals("True");
            }
        }
        return false;
    }
}
