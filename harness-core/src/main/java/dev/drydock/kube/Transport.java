package dev.drydock.kube;

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
}
