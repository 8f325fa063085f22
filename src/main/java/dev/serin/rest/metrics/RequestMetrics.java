package dev.serin.rest.metrics;

import dev.serin.rest.auth.AuthFilter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts every answered request under /api/v1 as {@code serin.api.requests} (Prometheus:
 * {@code serin_api_requests_total}), tagged with the route template (never the raw path, so the number of
 * series stays bounded) and the HTTP status. Also counts requests that auth turned away and errors.
 */
public class RequestMetrics {
    public static final String METER = "serin.api.requests";

    private final MeterRegistry registry;
    private final Map<Method, String> templates = new ConcurrentHashMap<>();

    @Inject
    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (!path.equals(AuthFilter.API_PREFIX) && !path.startsWith(AuthFilter.API_PREFIX + "/")) {
            return;
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        String endpoint = method == null ? "UNMATCHED"
                : request.getMethod() + " " + templates.computeIfAbsent(method, m -> template(resource.getResourceClass(), m));
        registry.counter(METER, "endpoint", endpoint, "status", Integer.toString(response.getStatus())).increment();
    }

    static String template(Class<?> type, Method method) {
        Path classPath = type.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        return join(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value());
    }

    private static String join(String a, String b) {
        String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        String right = b.isEmpty() || b.startsWith("/") ? b : "/" + b;
        String joined = left + right;
        return joined.startsWith("/") ? joined : "/" + joined;
    }
}
