package dev.drydock.kube;

import java.util.List;
import java.util.Map;

/**
 * Carries {@link ApiRequest}s to an API server. Two transports behave the same: in-process (components of the
 * cluster) and HTTP (tests and tools). Both pass through the cluster's network, so faults apply to both.
 */
public interface Transport {

    /** Sends a request; the response may carry an error Status. */
    ApiResponse call(ApiRequest request);

    /**
     * Starts a watch ({@link ApiRequest.Verb#WATCH}) whose events go to {@code handler} in order.
     *
     * @throws ApiException if the watch cannot start (e.g. 410 Gone for a compacted resource version)
     */
    Watch watch(ApiRequest request, WatchHandler handler);

    /**
     * Discovery: every resource the server serves now, with the verbs it allows ({@code list}, {@code delete}...),
     * as kube's discovery client reads {@code /api} and {@code /apis}. Custom resources come and go with their CRDs.
     */
    Map<Resource, List<String>> discover();
}
