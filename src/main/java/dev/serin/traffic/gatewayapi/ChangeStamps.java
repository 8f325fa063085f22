package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** When Serin last changed a Canary's Services and HTTPRoutes, from the stamps its writes leave on them. */
final class ChangeStamps {
    private final GatewayApiObjects objects;
    private final Clock clock;

    ChangeStamps(GatewayApiObjects objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    Optional<Instant> backendsChangedAt(TrafficTarget t) {
        Optional<Instant> latest = Optional.empty();
        for (String name : List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary()))) {
            Service service = objects.service(t.namespace(), name);
            String at = service == null || service.getMetadata().getAnnotations() == null ? null
                    : service.getMetadata().getAnnotations().get(GatewayApiWriter.SERVICES_CHANGED_AT);
            latest = later(latest, parse(at));
        }
        return latest;
    }

    /**
     * When Serin last changed the Canary's routes, as stamped on them; and while an implementation reporting on a route
     * has not seen its current generation ({@code status.parents[].conditions[].observedGeneration}), now: the settle
     * starts again until it has.
     */
    Optional<Instant> routesChangedAt(TrafficTarget t) {
        Optional<Instant> latest = Optional.empty();
        for (GatewayApiObjects.ListedRoute route : objects.listedRoutes(t)) {
            if (!RouteAcceptance.caughtUp(route.tree())) {
                return Optional.of(clock.instant());
            }
            JsonNode stamp = JsonAnnotations.entry(route.tree(), HttpRouteRules.ROUTES_CHANGED_AT, t.canary());
            latest = later(latest, parse(stamp == null ? null : stamp.asText(null)));
        }
        return latest;
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() || (b.isPresent() && b.get().isAfter(a.get())) ? b : a;
    }

    private static Optional<Instant> parse(String at) {
        try {
            return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // mangled by hand: as if absent
        }
    }
}
