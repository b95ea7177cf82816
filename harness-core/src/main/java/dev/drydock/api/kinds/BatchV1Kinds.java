package dev.drydock.api.kinds;

import static dev.drydock.api.kinds.KindChecks.goLabelSelector;
import static dev.drydock.api.kinds.KindChecks.goStringMap;
import static dev.drydock.api.kinds.KindChecks.nonNegative;
import static dev.drydock.api.kinds.KindChecks.putIfAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The batch/v1 kinds, Job and CronJob (each with {@code status}), with kube's defaults
 * ({@code pkg/apis/batch/v1/defaults.go}), validation ({@code pkg/apis/batch/validation}) and the Job strategy's
 * generated selector: unless {@code manualSelector} is true, the server labels the pod template with
 * {@code controller-uid}, {@code batch.kubernetes.io/controller-uid}, {@code job-name} and
 * {@code batch.kubernetes.io/job-name}, and selects on {@code batch.kubernetes.io/controller-uid}. No controller
 * runs Jobs or CronJobs yet: they are stored and served.
 */
public final class BatchV1Kinds {

    /** batch/v1 jobs. */
    public static final Resource JOBS = new Resource("batch", "v1", "jobs", "Job", true);
    /** batch/v1 cronjobs. */
    public static final Resource CRONJOBS = new Resource("batch", "v1", "cronjobs", "CronJob", true);

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String LEGACY_JOB_NAME = "job-name";

    private static final Pattern TIME_ZONE_PART = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");

    private BatchV1Kinds() {
    }

    /** Adds the batch/v1 kinds to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(JOBS).categories(KindDescriptor.ALL).status().strategy(JOB)
                .field("status.successful", job -> Long.toString(job.path("status").path("succeeded").asLong(0)))
                .build());
        registry.add(KindDescriptor.of(CRONJOBS).shortNames("cj").categories(KindDescriptor.ALL).status()
                .strategy(CRONJOB).build());
    }

    static final KindStrategy JOB = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void defaults(ObjectNode job) {
            ObjectNode spec = Json.with(job, "spec");
            if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
                spec.put("completions", 1);
                spec.put("parallelism", 1);
            }
            putIfAbsent(spec, "parallelism", 1);
            putIfAbsent(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
            JsonNode templateLabels = spec.path("template").path("metadata").get("labels");
            if (templateLabels != null && templateLabels.isObject()
                    && job.path("metadata").path("labels").isEmpty()) {
                Json.with(job, "metadata").set("labels", templateLabels.deepCopy());
            }
            putIfAbsent(spec, "completionMode", "NonIndexed");
            putIfAbsent(spec, "suspend", false);
            putIfAbsent(spec, "podReplacementPolicy", spec.hasNonNull("podFailurePolicy") ? "Failed"
                    : "TerminatingOrFailed");
            putIfAbsent(spec, "manualSelector", false);
            jobSpecDefaults(spec);
        }

        @Override
        public void prepareForCreate(ObjectNode job) {
            ObjectNode spec = Json.with(job, "spec");
            if (!spec.path("manualSelector").asBoolean(false)) {
                generateSelector(job);
            }
            job.putObject("status");
        }

        @Override
        public void validate(ObjectNode job, List<FieldError> errors) {
            JsonNode spec = job.path("spec");
            if (!spec.path("manualSelector").asBoolean(false) && spec.hasNonNull("selector")) {
                generatedSelector(job, errors);
            }
            jobSpec("spec", spec, errors);
            JsonNode selector = spec.get("selector");
            if (selector == null || selector.isNull()) {
                errors.add(FieldError.required("spec.selector", ""));
            } else {
                KindChecks.labelSelector("spec.selector", selector, errors);
            }
            LabelSelector parsed = KindChecks.selectorOrNull(selector);
            JsonNode labels = spec.path("template").path("metadata").path("labels");
            if (parsed != null && !parsed.matches(labels)) {
                errors.add(FieldError.invalidRaw("spec.template.metadata.labels", goStringMap(labels),
                        "`selector` does not match template `labels`"));
            }
            String mode = spec.path("completionMode").asText("NonIndexed");
            long completions = spec.path("completions").asLong(0);
            if (mode.equals("Indexed") && completions > 0) {
                String hostname = Json.name(job) + "-" + (completions - 1);
                List<FieldError> label = new java.util.ArrayList<>();
                Validation.dns1123Label("metadata.name", hostname, label);
                if (!label.isEmpty()) {
                    errors.add(FieldError.invalid("metadata.name", Json.name(job),
                            "will not able to create pod with invalid DNS label: " + hostname));
                }
            }
        }

        @Override
        public void validateUpdate(ObjectNode job, ObjectNode old, List<FieldError> errors) {
            JsonNode spec = job.path("spec");
            JsonNode oldSpec = old.path("spec");
            completions(spec, oldSpec, errors);
            KindChecks.immutable("spec.selector", spec.get("selector"), oldSpec.get("selector"),
                    KindChecks::goLabelSelector, errors);
            templateUpdate(spec, oldSpec, old, errors);
            KindChecks.immutableText("spec.completionMode", spec.get("completionMode"),
                    oldSpec.get("completionMode"), errors);
            for (String field : List.of("podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy")) {
                KindChecks.immutable("spec." + field, spec.get(field), oldSpec.get(field), KindChecks::json, errors);
            }
        }

        /** validateCompletions: immutable, but for Indexed jobs scaled with completions equal to parallelism. */
        private void completions(JsonNode spec, JsonNode oldSpec, List<FieldError> errors) {
            JsonNode now = spec.get("completions");
            JsonNode before = oldSpec.get("completions");
            if (!spec.path("completionMode").asText().equals("Indexed")) {
                KindChecks.immutable("spec.completions", now, before,
                        n -> n == null || n.isNull() ? "null" : n.asText(), errors);
                return;
            }
            if (now == null || now.isNull() || before != null && now.asLong() == before.asLong()) {
                return;
            }
            if (now.asLong() != spec.path("parallelism").asLong()) {
                errors.add(FieldError.invalidRaw("spec.completions", now.asText(),
                        "can only be modified in tandem with spec.parallelism"));
            }
        }

        /**
         * validatePodTemplateUpdate: the template is immutable, except that a suspended Job that never started may
         * change its scheduling directives (node affinity, node selector, tolerations, scheduling gates) and its
         * template's labels and annotations.
         */
        private void templateUpdate(JsonNode spec, JsonNode oldSpec, ObjectNode old, List<FieldError> errors) {
            JsonNode template = spec.path("template");
            ObjectNode oldTemplate = oldSpec.path("template").isObject()
                    ? ((ObjectNode) oldSpec.get("template")).deepCopy() : Json.object();
            boolean suspended = oldSpec.path("suspend").asBoolean(false);
            boolean notStarted = !old.path("status").hasNonNull("startTime");
            if (suspended && notStarted) {
                ObjectNode oldPod = Json.with(oldTemplate, "spec");
                JsonNode affinity = template.path("spec").get("affinity");
                JsonNode oldAffinity = oldPod.get("affinity");
                if (affinity == null && oldAffinity instanceof ObjectNode o) {
                    o.remove("nodeAffinity");
                    if (o.isEmpty()) {
                        oldPod.remove("affinity");
                    }
                } else if (affinity != null && oldAffinity == null) {
                    ObjectNode a = oldPod.putObject("affinity");
                    copy(affinity, a, "nodeAffinity");
                } else if (affinity != null && oldAffinity instanceof ObjectNode o) {
                    copy(affinity, o, "nodeAffinity");
                }
                for (String f : List.of("nodeSelector", "tolerations", "schedulingGates")) {
                    copy(template.path("spec"), oldPod, f);
                }
                ObjectNode oldMeta = Json.with(oldTemplate, "metadata");
                copy(template.path("metadata"), oldMeta, "annotations");
                copy(template.path("metadata"), oldMeta, "labels");
            }
            KindChecks.immutable("spec.template", template, oldTemplate, KindChecks::json, errors);
        }

        private void copy(JsonNode from, ObjectNode to, String field) {
            JsonNode v = from.get(field);
            if (v == null || v.isNull()) {
                to.remove(field);
            } else {
                to.set(field, v.deepCopy());
            }
        }
    };

    static final KindStrategy CRONJOB = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void defaults(ObjectNode cronJob) {
            ObjectNode spec = Json.with(cronJob, "spec");
            putIfAbsent(spec, "concurrencyPolicy", "Allow");
            putIfAbsent(spec, "suspend", false);
            putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
            putIfAbsent(spec, "failedJobsHistoryLimit", 1);
            // The generated defaulter runs only the pod's defaults on the template, not SetDefaults_Job
            jobSpecDefaults(Json.with(spec, "jobTemplate", "spec"));
        }

        @Override
        public void prepareForCreate(ObjectNode cronJob) {
            cronJob.putObject("status");
        }

        @Override
        public void validate(ObjectNode cronJob, List<FieldError> errors) {
            // ValidateCronJobCreate; a drydock CronJob never had a TZ in its schedule, so updates check the same
            JsonNode spec = cronJob.path("spec");
            String schedule = spec.path("schedule").asText("");
            if (schedule.isEmpty()) {
                errors.add(FieldError.required("spec.schedule", ""));
            } else {
                String why = CronSchedule.check(schedule);
                if (why != null) {
                    errors.add(FieldError.invalid("spec.schedule", schedule, why));
                }
                if (schedule.contains("TZ")) {
                    errors.add(FieldError.invalid("spec.schedule", schedule,
                            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
                }
            }
            timeZone(spec.get("timeZone"), errors);
            nonNegative("spec.startingDeadlineSeconds", spec.get("startingDeadlineSeconds"), errors);
            String policy = spec.path("concurrencyPolicy").asText("");
            if (policy.isEmpty()) {
                errors.add(FieldError.required("spec.concurrencyPolicy", ""));
            } else if (!Set.of("Allow", "Forbid", "Replace").contains(policy)) {
                errors.add(FieldError.notSupported("spec.concurrencyPolicy", policy,
                        "supported values: \"Allow\", \"Forbid\", \"Replace\""));
            }
            JsonNode jobSpec = spec.path("jobTemplate").path("spec");
            jobSpec("spec.jobTemplate.spec", jobSpec, errors);
            if (jobSpec.hasNonNull("selector")) {
                errors.add(FieldError.invalidRaw("spec.jobTemplate.spec.selector",
                        goLabelSelector(jobSpec.get("selector")), "`selector` will be auto-generated"));
            }
            if (jobSpec.path("manualSelector").asBoolean(false)) {
                errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.jobTemplate.spec.manualSelector",
                        "true", "supported values: \"nil\", \"false\"", true));
            }
            nonNegative("spec.successfulJobsHistoryLimit", spec.get("successfulJobsHistoryLimit"), errors);
            nonNegative("spec.failedJobsHistoryLimit", spec.get("failedJobsHistoryLimit"), errors);
            if (Json.name(cronJob) != null && Json.name(cronJob).length() > 52) {
                // the controller names its jobs <name>-<11 characters>, and job names are DNS labels
                errors.add(FieldError.invalid("metadata.name", Json.name(cronJob), "must be no more than 52 "
                        + "characters"));
            }
        }

        private void timeZone(JsonNode zone, List<FieldError> errors) {
            if (zone == null || zone.isNull()) {
                return;
            }
            String tz = zone.asText();
            if (tz.isEmpty()) {
                errors.add(FieldError.invalid("spec.timeZone", tz, "timeZone must be nil or non-empty string"));
                return;
            }
            for (String part : tz.split("/", -1)) {
                if (part.equals(".") || part.equals("..") || part.startsWith("-")
                        || !TIME_ZONE_PART.matcher(part).matches()) {
                    errors.add(FieldError.invalid("spec.timeZone", tz, "unknown time zone " + tz));
                    return;
                }
            }
            if (tz.equalsIgnoreCase("Local")) {
                errors.add(FieldError.invalid("spec.timeZone", tz, "timeZone must be an explicit time zone as "
                        + "defined in https://www.iana.org/time-zones"));
            }
            String why = CronSchedule.zoneError(tz);
            if (why != null) {
                errors.add(FieldError.invalid("spec.timeZone", tz, why));
            }
        }
    };

    /** The defaults a job spec gets wherever it is (a Job's or a CronJob's template): its pod's, and rules'. */
    private static void jobSpecDefaults(ObjectNode spec) {
        for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
            for (JsonNode pattern : rule.path("onPodConditions")) {
                if (pattern instanceof ObjectNode p) {
                    putIfAbsent(p, "status", "True");
                }
            }
        }
        KindStrategies.defaultPodSpec(Json.with(spec, "template", "spec"));
    }

    /**
     * The job strategy's {@code generateSelector}: the template gets the job-name and controller-uid labels (legacy
     * and prefixed) unless the user set them, and the selector {@code batch.kubernetes.io/controller-uid}.
     */
    private static void generateSelector(ObjectNode job) {
        ObjectNode labels = Json.with(job, "spec", "template", "metadata", "labels");
        for (String key : List.of(LEGACY_JOB_NAME, JOB_NAME)) {
            if (!labels.has(key)) {
                labels.put(key, Json.name(job));
            }
        }
        for (String key : List.of(LEGACY_CONTROLLER_UID, CONTROLLER_UID)) {
            if (!labels.has(key)) {
                labels.put(key, Json.uid(job));
            }
        }
        ObjectNode matchLabels = Json.with(job, "spec", "selector", "matchLabels");
        if (!matchLabels.has(CONTROLLER_UID)) {
            matchLabels.put(CONTROLLER_UID, Json.uid(job));
        }
    }

    /** validateGeneratedSelector, with the prefixed labels required (a drydock Job always had them). */
    private static void generatedSelector(ObjectNode job, List<FieldError> errors) {
        String uid = Json.uid(job);
        String name = Json.name(job);
        if (uid == null || uid.isEmpty()) {
            errors.add(FieldError.required("metadata.uid", ""));
        }
        JsonNode labels = job.path("spec").path("template").path("metadata").path("labels");
        hasLabel(labels, LEGACY_CONTROLLER_UID, uid, errors);
        hasLabel(labels, LEGACY_JOB_NAME, name, errors);
        hasLabel(labels, CONTROLLER_UID, uid, errors);
        hasLabel(labels, JOB_NAME, name, errors);
        ObjectNode expected = Json.object();
        expected.put(CONTROLLER_UID, uid).put(JOB_NAME, name).put(LEGACY_CONTROLLER_UID, uid)
                .put(LEGACY_JOB_NAME, name);
        JsonNode selector = job.path("spec").get("selector");
        LabelSelector parsed = KindChecks.selectorOrNull(selector);
        if (parsed != null && !parsed.matches(expected)) {
            errors.add(FieldError.invalidRaw("spec.selector", goLabelSelector(selector),
                    "`selector` not auto-generated"));
        }
    }

    /** kube's {@code ValidateHasLabel}. */
    private static void hasLabel(JsonNode labels, String key, String expected, List<FieldError> errors) {
        String field = "spec.template.metadata.labels[" + key + "]";
        JsonNode actual = labels.get(key);
        if (actual == null) {
            errors.add(FieldError.required(field, "must be '" + expected + "'"));
        } else if (!actual.asText().equals(expected)) {
            errors.add(FieldError.invalidRaw(field, goStringMap(labels), "must be '" + expected + "'"));
        }
    }

    /** validateJobSpec: what a Job's spec and a CronJob's job template share. */
    private static void jobSpec(String path, JsonNode spec, List<FieldError> errors) {
        for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes")) {
            nonNegative(path + "." + f, spec.get(f), errors);
        }
        if (spec.hasNonNull("maxFailedIndexes") && !spec.hasNonNull("backoffLimitPerIndex")) {
            errors.add(FieldError.required(path + ".backoffLimitPerIndex", "when maxFailedIndexes is specified"));
        }
        String mode = spec.path("completionMode").asText("");
        if (spec.hasNonNull("completionMode")) {
            if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
                errors.add(FieldError.notSupported(path + ".completionMode", mode,
                        "supported values: \"NonIndexed\", \"Indexed\""));
            }
            if (mode.equals("Indexed")) {
                if (!spec.hasNonNull("completions")) {
                    errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
                }
                if (spec.path("parallelism").asLong(0) > 100000) {
                    errors.add(FieldError.invalidRaw(path + ".parallelism", spec.path("parallelism").asText(),
                            "must be less than or equal to 100000 when completion mode is Indexed"));
                }
            }
        }
        if (!mode.equals("Indexed")) {
            for (String f : List.of("backoffLimitPerIndex", "maxFailedIndexes")) {
                if (spec.hasNonNull(f)) {
                    errors.add(FieldError.invalidRaw(path + "." + f, spec.get(f).asText(),
                            "requires indexed completion mode"));
                }
            }
        }
        boolean failurePolicy = spec.hasNonNull("podFailurePolicy");
        if (spec.hasNonNull("podReplacementPolicy")) {
            String replacement = spec.path("podReplacementPolicy").asText();
            if (failurePolicy && !replacement.equals("Failed")) {
                errors.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement,
                        "supported values: \"Failed\""));
            } else if (!failurePolicy && !replacement.equals("Failed")
                    && !replacement.equals("TerminatingOrFailed")) {
                errors.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement,
                        "supported values: \"Failed\", \"TerminatingOrFailed\""));
            }
        }
        JsonNode template = spec.path("template");
        Validation.labels(path + ".template.labels", template.path("metadata").get("labels"), errors);
        Validation.annotations(path + ".template.annotations", template.path("metadata").get("annotations"),
                errors);
        KindStrategies.validatePodSpec(path + ".template.spec", template.path("spec"), errors);
        String restart = template.path("spec").path("restartPolicy").asText("");
        String restartField = path + ".template.spec.restartPolicy";
        if (restart.isEmpty() || restart.equals("Always")) {
            errors.add(FieldError.required(restartField, "valid values: \"OnFailure\", \"Never\""));
        } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errors.add(FieldError.notSupported(restartField, restart,
                    "supported values: \"OnFailure\", \"Never\""));
        } else if (failurePolicy && !restart.equals("Never")) {
            errors.add(FieldError.invalid(restartField, restart,
                    "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }
}
