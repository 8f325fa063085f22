package dev.serin.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an API server's refusal says about trying the request again. Pure. */
public final class ApiErrors {
    public enum Retry {
        /** 409: the object changed under us; try again at once, from fresh state. */
        AT_ONCE,
        /** 429, 5xx, or no answer at all: it may pass; try again at a growing back-off. */
        BACKOFF,
        /**
         * 404: what the request named is gone (deleted after the cache was read). Not a refusal: the deletion's watch
         * event brings the next pass, which sees it gone; a growing back-off stands in should no event come.
         */
        GONE,
        /** Any other 4xx: the server refused the request itself, and the same request will be refused again. */
        WHEN_CHANGED
    }

    private ApiErrors() {
    }

    public static Retry retry(int code) {
        if (code == 409) {
            return Retry.AT_ONCE;
        }
        if (code == 404) {
            return Retry.GONE;
        }
        return code >= 400 && code < 500 && code != 429 ? Retry.WHEN_CHANGED : Retry.BACKOFF;
    }

    /** False when trying the same request again cannot help. */
    public static boolean retryable(int code) {
        return retry(code) != Retry.WHEN_CHANGED;
    }

    /** The server's own words (the message of its Status), else the client's. */
    public static String message(KubernetesClientException e) {
        String server = e.getStatus() == null ? null : e.getStatus().getMessage();
        return server == null || server.isBlank() ? e.getMessage() : server;
    }
}
