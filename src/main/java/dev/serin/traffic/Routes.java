package dev.serin.traffic;

import java.util.List;

/**
 * Which routes carry a Canary's traffic, in one dialect's terms.
 *
 * @param dialect the router that writes them ({@link TrafficRouter#dialect()}): "istio", later "gateway-api"
 * @param names   the route objects, in the Canary's namespace, to split
 * @param rule    the object that holds the stable and canary backends, where the dialect has one (Istio's
 *                DestinationRule); null where it has none
 */
public record Routes(String dialect, List<String> names, String rule) {
    public Routes {
        names = List.copyOf(names);
    }
}
