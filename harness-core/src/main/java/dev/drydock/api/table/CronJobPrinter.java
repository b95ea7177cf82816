package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CronJobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR (kube's
 * {@code printCronJob}, whose column descriptions are batch/v1beta1's).
 */
final class CronJobPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            Column.string("Timezone", "The time zone name for the given schedule, see "
                    + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will "
                    + "default to the time zone of the kube-controller-manager process. The set of valid time zone "
                    + "names and the time zone offset is loaded from the system-wide time zone database by the API "
                    + "server during CronJob validation and the controller manager during execution. If no "
                    + "system-wide time zone database can be found a bundled version of the database is used "
                    + "instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a "
                    + "change in host configuration, the controller will stop creating new new Jobs and will create "
                    + "a system event with the reason UnknownTimeZone. More information can be found in "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
            new Column("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions, "
                    + "it does not apply to already started executions.  Defaults to false.", 0),
            Column.integer("Active", "A list of pointers to currently running jobs."),
            Column.string("Last Schedule", "Information when was the last time the job was successfully "
                    + "scheduled."),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", JobPrinter.JOB_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode cronJob, Instant now) {
        JsonNode spec = Json.at(cronJob, "spec");
        List<JsonNode> containers = Json.elements(spec, "jobTemplate", "spec", "template", "spec", "containers");
        return List.of(
                Json.text(cronJob, "metadata", "name"),
                Json.text(spec, "schedule"),
                Json.has(spec, "timeZone") ? Json.text(spec, "timeZone") : "<none>",
                !Json.has(spec, "suspend") ? "<unset>" : Json.bool(spec, "suspend") ? "True" : "False",
                (long) Json.size(cronJob, "status", "active"),
                Json.has(cronJob, "status", "lastScheduleTime")
                        ? HumanDuration.since(Json.time(cronJob, "status", "lastScheduleTime"), now) : "<none>",
                HumanDuration.since(Json.time(cronJob, "metadata", "creationTimestamp"), now),
                containers.stream().map(c -> Json.text(c, "name")).collect(Collectors.joining(",")),
                containers.stream().map(c -> Json.text(c, "image")).collect(Collectors.joining(",")),
                Selectors.formatLabelSelector(Json.at(spec, "jobTemplate", "spec", "selector")));
    }
}
