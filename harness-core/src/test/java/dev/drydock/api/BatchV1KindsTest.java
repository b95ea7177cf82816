package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.BatchV1Kinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** batch/v1 Job and CronJob: kube's defaults, the generated selector, validation and update rules. */
class BatchV1KindsTest extends KindTestSupport {

    static final Resource JOBS = BatchV1Kinds.JOBS;
    static final Resource CRONJOBS = BatchV1Kinds.CRONJOBS;

    static ObjectNode job(String name) {
        return json("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'" + name + "'},'spec':{'template':"
                + "{'spec':{'restartPolicy':'Never','containers':[{'name':'pi','image':'perl:5.34'}]}}}}");
    }

    static ObjectNode cronJob(String name, String schedule) {
        return json("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'" + name + "'},'spec':{"
                + "'schedule':'" + schedule + "','jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':"
                + "'OnFailure','containers':[{'name':'hello','image':'busybox:1.36'}]}}}}}}");
    }

    // ---- Job

    @Test
    void aJobIsDefaultedAsKubeDoesAndGetsAGeneratedSelector() {
        ObjectNode created = client.create(JOBS, NS, job("pi"));

        JsonNode spec = created.path("spec");
        String uid = Json.uid(created);
        assertThat(spec.path("completions").asInt()).isEqualTo(1);
        assertThat(spec.path("parallelism").asInt()).isEqualTo(1);
        assertThat(spec.path("backoffLimit").asInt()).isEqualTo(6);
        assertThat(spec.path("completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(spec.path("suspend").asBoolean(true)).isFalse();
        assertThat(spec.path("manualSelector").asBoolean(true)).isFalse();
        assertThat(spec.path("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(spec.path("selector")).isEqualTo(json("{'matchLabels':{'batch.kubernetes.io/controller-uid':'"
                + uid + "'}}"));
        assertThat(spec.path("template").path("metadata").path("labels")).isEqualTo(json("{"
                + "'job-name':'pi','batch.kubernetes.io/job-name':'pi','controller-uid':'" + uid + "',"
                + "'batch.kubernetes.io/controller-uid':'" + uid + "'}"));
        assertThat(spec.path("template").path("spec").path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(created.path("status")).isEqualTo(Json.object());
        assertThat(client.get(JOBS, NS, "pi")).isEqualTo(created);
    }

    @Test
    void parallelismAloneLeavesCompletionsUnsetAndTemplateLabelsBecomeTheJobsLabels() {
        ObjectNode j = job("work");
        Json.with(j, "spec").put("parallelism", 3);
        Json.with(j, "spec", "template", "metadata", "labels").put("app", "work");

        ObjectNode created = client.create(JOBS, NS, j);

        assertThat(created.path("spec").has("completions")).isFalse();
        assertThat(created.path("spec").path("parallelism").asInt()).isEqualTo(3);
        assertThat(created.path("metadata").path("labels")).isEqualTo(json("{'app':'work'}"));
    }

    @Test
    void aJobWithManualSelectorKeepsItsOwnSelector() {
        ObjectNode j = job("manual");
        Json.with(j, "spec").put("manualSelector", true);
        Json.with(j, "spec", "selector", "matchLabels").put("app", "manual");
        Json.with(j, "spec", "template", "metadata", "labels").put("app", "manual");

        ObjectNode created = client.create(JOBS, NS, j);

        assertThat(created.path("spec").path("selector")).isEqualTo(json("{'matchLabels':{'app':'manual'}}"));
        assertThat(created.path("spec").path("template").path("metadata").path("labels"))
                .isEqualTo(json("{'app':'manual'}"));
    }

    @Test
    void aJobMustNotRestartAlways() {
        ObjectNode j = job("pi");
        Json.with(j, "spec", "template", "spec").remove("restartPolicy");

        ApiException e = failure(() -> client.create(JOBS, NS, j));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: "
                + "Required value: valid values: \"OnFailure\", \"Never\"");
        ObjectNode bad = job("pi");
        Json.with(bad, "spec").put("completionMode", "Sometimes").put("backoffLimit", -1);
        assertThat(causeFields(failure(() -> client.create(JOBS, NS, bad))))
                .containsExactly("spec.backoffLimit", "spec.completionMode");
    }

    @Test
    void aJobsSelectorMustBeTheGeneratedOneUnlessManual() {
        ObjectNode j = job("pi");
        Json.with(j, "spec", "selector", "matchLabels").put("app", "pi");

        ApiException e = failure(() -> client.create(JOBS, NS, j));

        assertThat(e.getMessage()).contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
                + "map[string]string{\"app\":\"pi\", \"batch.kubernetes.io/controller-uid\":")
                .contains("`selector` not auto-generated");
    }

    @Test
    void aJobsSelectorTemplateAndCompletionsAreImmutableButItsParallelismIsNot() {
        client.create(JOBS, NS, job("pi"));

        ObjectNode scaled = mergePatch(JOBS, "pi", "{'spec':{'parallelism':2}}");
        assertThat(scaled.path("spec").path("parallelism").asInt()).isEqualTo(2);
        assertThat(scaled.path("metadata").path("generation").asLong()).isEqualTo(2);

        ApiException completions = failure(() -> mergePatch(JOBS, "pi", "{'spec':{'completions':3}}"));
        assertThat(completions.getMessage()).isEqualTo("Job.batch \"pi\" is invalid: spec.completions: Invalid "
                + "value: 3: field is immutable");
        ApiException template = failure(() -> mergePatch(JOBS, "pi", "{'spec':{'template':{'spec':"
                + "{'containers':[{'name':'pi','image':'perl:6'}]}}}}"));
        assertThat(causeFields(template)).containsExactly("spec.template");
        assertThat(template.getMessage()).endsWith("field is immutable");
        ApiException selector = failure(() -> mergePatch(JOBS, "pi", "{'spec':{'selector':{'matchLabels':"
                + "{'job-name':'pi'}}}}"));
        assertThat(causeFields(selector)).contains("spec.selector");
    }

    @Test
    void aSuspendedJobThatNeverStartedMayChangeItsSchedulingDirectives() {
        ObjectNode j = job("later");
        Json.with(j, "spec").put("suspend", true);
        client.create(JOBS, NS, j);

        ObjectNode moved = mergePatch(JOBS, "later", "{'spec':{'template':{'spec':{'nodeSelector':"
                + "{'zone':'b'}}}}}");

        assertThat(moved.path("spec").path("template").path("spec").path("nodeSelector"))
                .isEqualTo(json("{'zone':'b'}"));
        mergePatch(JOBS, "later", "{'spec':{'suspend':false}}");
        patchStatus(JOBS, "later", "{'status':{'startTime':'2025-01-01T00:00:00Z'}}");
        mergePatch(JOBS, "later", "{'spec':{'suspend':true}}");
        assertThat(failure(() -> mergePatch(JOBS, "later", "{'spec':{'template':{'spec':{'nodeSelector':"
                + "{'zone':'c'}}}}}")).getMessage()).endsWith("field is immutable");
    }

    @Test
    void jobsAreListedSelectedByStatusSuccessfulWrittenThroughStatusAndDeleted() {
        client.create(JOBS, NS, job("a"));
        client.create(JOBS, NS, job("b"));
        patchStatus(JOBS, "a", "{'status':{'succeeded':1}}");

        assertThat(names(list(JOBS, NS, Map.of()))).containsExactly("a", "b");
        assertThat(selectedNames(JOBS, "status.successful=1")).containsExactly("a");
        assertThat(selectedNames(JOBS, "status.successful=0")).containsExactly("b");
        assertThat(mergePatch(JOBS, "a", "{'status':{'succeeded':5}}").path("status").path("succeeded").asInt())
                .as("the main resource keeps the status").isEqualTo(1);

        client.delete(JOBS, NS, "a");
        assertThat(names(list(JOBS, NS, Map.of()))).containsExactly("b");
    }

    // ---- CronJob

    @Test
    void aCronJobIsDefaultedAsKubeDoes() {
        ObjectNode created = client.create(CRONJOBS, NS, cronJob("hello", "*/5 * * * *"));

        JsonNode spec = created.path("spec");
        assertThat(spec.path("concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(spec.path("suspend").asBoolean(true)).isFalse();
        assertThat(spec.path("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(spec.path("failedJobsHistoryLimit").asInt()).isEqualTo(1);
        JsonNode jobSpec = spec.path("jobTemplate").path("spec");
        assertThat(jobSpec.has("backoffLimit")).as("SetDefaults_Job is not run on a job template").isFalse();
        assertThat(jobSpec.path("template").path("spec").path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(created.path("status")).isEqualTo(Json.object());
        assertThat(client.get(CRONJOBS, NS, "hello")).isEqualTo(created);
    }

    @Test
    void aCronJobsScheduleIsCheckedAsCronSyntaxWithDescriptors() {
        for (String ok : new String[] {"@hourly", "@daily", "@every 90m", "0 3 * * mon-fri", "*/15 9-17 * jan,jul *",
            "0 0 1 */3 ?"}) {
            client.create(CRONJOBS, NS, cronJob("c" + Integer.toHexString(ok.hashCode()), ok));
        }

        ApiException range = failure(() -> client.create(CRONJOBS, NS, cronJob("bad", "61 * * * *")));
        assertThat(range.getMessage()).isEqualTo("CronJob.batch \"bad\" is invalid: spec.schedule: Invalid value: "
                + "\"61 * * * *\": end of range (61) above maximum (59): 61");
        ApiException fields = failure(() -> client.create(CRONJOBS, NS, cronJob("bad", "* * *")));
        assertThat(fields.getMessage()).endsWith("expected exactly 5 fields, found 3: [* * *]");
        ApiException descriptor = failure(() -> client.create(CRONJOBS, NS, cronJob("bad", "@fortnightly")));
        assertThat(descriptor.getMessage()).endsWith("unrecognized descriptor: @fortnightly");
    }

    @Test
    void aScheduleMayNotCarryATimeZoneWhichGoesInTheTimeZoneField() {
        ApiException tz = failure(() -> client.create(CRONJOBS, NS, cronJob("tz", "TZ=Europe/Paris 0 3 * * *")));
        assertThat(tz.getMessage()).isEqualTo("CronJob.batch \"tz\" is invalid: spec.schedule: Invalid value: "
                + "\"TZ=Europe/Paris 0 3 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        ApiException badZone = failure(() -> client.create(CRONJOBS, NS, cronJob("tz", "CRON_TZ=Mars/Olympus 0 3 * * *")));
        assertThat(badZone.getMessage()).contains("provided bad location Mars/Olympus: unknown time zone "
                + "Mars/Olympus");

        ObjectNode zoned = cronJob("tz", "0 3 * * *");
        Json.with(zoned, "spec").put("timeZone", "Europe/Paris");
        assertThat(client.create(CRONJOBS, NS, zoned).path("spec").path("timeZone").asText())
                .isEqualTo("Europe/Paris");
        ObjectNode unknown = cronJob("tz2", "0 3 * * *");
        Json.with(unknown, "spec").put("timeZone", "Europe/Pariss");
        assertThat(failure(() -> client.create(CRONJOBS, NS, unknown)).getMessage()).isEqualTo("CronJob.batch "
                + "\"tz2\" is invalid: spec.timeZone: Invalid value: \"Europe/Pariss\": unknown time zone "
                + "Europe/Pariss");
    }

    @Test
    void aCronJobsTemplateIsAJobSpecWithoutASelectorAndItsNameFitsItsJobs() {
        ObjectNode always = cronJob("hello", "@hourly");
        Json.with(always, "spec", "jobTemplate", "spec", "template", "spec").put("restartPolicy", "Always");
        assertThat(causeFields(failure(() -> client.create(CRONJOBS, NS, always))))
                .containsExactly("spec.jobTemplate.spec.template.spec.restartPolicy");

        ObjectNode selector = cronJob("hello", "@hourly");
        Json.with(selector, "spec", "jobTemplate", "spec", "selector", "matchLabels").put("a", "b");
        assertThat(failure(() -> client.create(CRONJOBS, NS, selector)).getMessage())
                .endsWith("`selector` will be auto-generated");

        String longName = "a".repeat(53);
        assertThat(failure(() -> client.create(CRONJOBS, NS, cronJob(longName, "@hourly"))).getMessage())
                .isEqualTo("CronJob.batch \"" + longName + "\" is invalid: metadata.name: Invalid value: \""
                        + longName + "\": must be no more than 52 characters");
        ObjectNode policy = cronJob("hello", "@hourly");
        Json.with(policy, "spec").put("concurrencyPolicy", "Sometimes");
        assertThat(failure(() -> client.create(CRONJOBS, NS, policy)).getMessage()).endsWith(
                "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", "
                        + "\"Replace\"");
    }

    @Test
    void cronJobsAreUpdatedPatchedSuspendedAndDeleted() {
        client.create(CRONJOBS, NS, cronJob("hello", "@hourly"));

        ObjectNode suspended = mergePatch(CRONJOBS, "hello", "{'spec':{'suspend':true,'schedule':'0 * * * *'}}");
        assertThat(suspended.path("spec").path("suspend").asBoolean()).isTrue();
        assertThat(suspended.path("metadata").path("generation").asLong()).isEqualTo(2);
        ObjectNode updated = client.modify(CRONJOBS, NS, "hello", c -> Json.with(c, "spec")
                .put("concurrencyPolicy", "Forbid"));
        assertThat(updated.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        patchStatus(CRONJOBS, "hello", "{'status':{'lastScheduleTime':'2025-01-01T00:00:00Z'}}");
        assertThat(client.get(CRONJOBS, NS, "hello").path("status").path("lastScheduleTime").asText())
                .isEqualTo("2025-01-01T00:00:00Z");

        client.delete(CRONJOBS, NS, "hello");
        assertThat(client.find(CRONJOBS, NS, "hello")).isNull();
    }

    @Test
    void discoveryListsJobsAndCronJobsInTheAllCategory() {
        JsonNode jobs = discovered("jobs", JOBS);
        assertThat(jobs.has("shortNames")).isFalse();
        assertThat(texts(jobs.path("categories"))).containsExactly("all");
        discovered("jobs/status", JOBS);
        JsonNode cronJobs = discovered("cronjobs", CRONJOBS);
        assertThat(texts(cronJobs.path("shortNames"))).containsExactly("cj");
        assertThat(texts(cronJobs.path("categories"))).containsExactly("all");
        discovered("cronjobs/status", CRONJOBS);
    }
}
