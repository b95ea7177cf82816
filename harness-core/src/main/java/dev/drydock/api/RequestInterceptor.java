package dev.drydock.api;

import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;

/**
 * What every client's requests pass on their way into the API server, knowing whose they are: the seam where the
 * fault API ({@code dev.drydock.chaos.ApiFaults}) fails, delays or rewrites requests and ends or stalls watches, and
 * where per-client watch filters will go. Every request of every party, in-process or over HTTP, passes it once.
 * An interceptor with nothing to do passes a request straight to {@code next}, and should cost no more than a
 * volatile read.
 */
public interface RequestInterceptor {

    /** Answers {@code request} of {@code party}, normally as {@code next.call(request)}. */
    ApiResponse call(String party, ApiRequest request, Transport next);

    /**
     * Starts a watch of {@code party}, normally as {@code next.watch(request, handler)}.
     *
     * @throws dev.drydock.kube.ApiException if the watch does not start
     */
    Watch watch(String party, ApiRequest request, WatchHandler handler, Transport next);

    /** Passes everything through. */
    RequestInterceptor NONE = new RequestInterceptor() {
        @Override
        public ApiResponse call(String party, ApiRequest request, Transport next) {
            return next.call(request);
        }

        @Override
        public Watch watch(String party, ApiRequest request, WatchHandler handler, Transport next) {
            return next.watch(request, handler);
        }
    };
}
