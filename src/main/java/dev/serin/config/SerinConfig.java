package dev.serin.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings under {@code serin.*}. */
@ConfigMapping(prefix = "serin")
public interface SerinConfig {
    /** Namespaces to watch; all when absent. */
    Optional<List<String>> namespaces();

    Istio istio();

    Traffic traffic();

    Reconcile reconcile();

    Shutdown shutdown();

    interface Istio {
        /** Whole percents summing to 100 (fractional weights refused), for tools or policies that expect them. */
        @WithName("percent-weights")
        @WithDefault("false")
        boolean percentWeights();
    }

    interface Traffic {
        /** How long a DestinationRule or route change needs to reach every Envoy before the next step uses it. */
        @WithDefault("3s")
        Duration settle();

        /**
         * How long a status is held back while it would be replaced a moment later: a new Canary's first status
         * during a backends settle shorter than this, and a split held for a backend that cannot take traffic yet.
         */
        @WithName("quiet-settle")
        @WithDefault("10s")
        Duration quietSettle();
    }

    interface Shutdown {
        /**
         * How long a stopping replica lets its reconciles in flight finish before it gives up the lease (they are
         * interrupted then); keep it well below the pod's terminationGracePeriodSeconds.
         */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Reconcile {
        /** Threads that reconcile Canaries; one Canary is never reconciled by two at once. They mostly wait on the API server. */
        @WithDefault("8")
        int workers();

        /** First retry delay after an API error; doubles up to max-backoff. */
        @WithName("min-backoff")
        @WithDefault("200ms")
        Duration minBackoff();

        @WithName("max-backoff")
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * When a step that goes on at a watch event (the canary Deployment's deletion, a promoted Deployment's
         * rollout) looks again anyway, should that event be missed.
         */
        @WithDefault("5s")
        Duration recheck();
    }
}
