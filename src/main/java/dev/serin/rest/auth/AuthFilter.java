package dev.serin.rest.auth;

import dev.serin.rest.ServedNamespaces;
import dev.serin.rest.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates and authorises every request under /api/v1 before the endpoint runs (and before its body is
 * read). The verb comes from the endpoint's {@link Authorize}; the namespace from its {ns} path parameter. With
 * serin.api.auth=none it checks no one, but answers only what {@link LocalRequestCheck} lets through.
 * Runs on the worker thread of the (blocking) endpoints, since the reviews are blocking HTTP calls.
 */
public class AuthFilter {
    public static final String API_PREFIX = "/api/v1";
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);

    private final Authorizer authorizer;
    private final CurrentCaller currentCaller;
    private final AuthMode mode;
    private final ServedNamespaces served;

    @Inject
    public AuthFilter(Authorizer authorizer, CurrentCaller currentCaller, ServedNamespaces served,
            @ConfigProperty(name = "serin.api.auth", defaultValue = "kubernetes") AuthMode mode) {
        this.authorizer = authorizer;
        this.currentCaller = currentCaller;
        this.served = served;
        this.mode = mode;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest connection) {
        String path = request.getUriInfo().getPath();
        if (!path.equals(API_PREFIX) && !path.startsWith(API_PREFIX + "/")) {
            return null;
        }
        String namespace = request.getUriInfo().getPathParameters().getFirst("ns");
        boolean notServed = namespace != null && !served.serves(namespace);
        if (mode == AuthMode.none) {
            Optional<Problem> refused = LocalRequestCheck.refusal(request.getMethod(), host(request, connection),
                    request.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    connection.localAddress() == null ? -1 : connection.localAddress().port(), connection.isSSL());
            if (refused.isPresent()) {
                return refused.get().toResponse();
            }
            currentCaller.set(Caller.ANONYMOUS);
            return notServed ? ServedNamespaces.notServed(namespace).toResponse() : null;
        }
        String verb = verbOf(resource);
        if (verb == null) {
            LOG.errorf("Endpoint %s has no @Authorize; refusing", path);
            return Problem.of(403, "forbidden", "Forbidden", "This endpoint is not open to anyone").toResponse();
        }
        Decision decision;
        try {
            decision = authorizer.decide(bearerToken(request), verb, namespace == null ? "" : namespace);
        } catch (Authorizer.ReviewUnavailableException e) {
            LOG.warnf("Cannot authorise request: %s: %s", e.getMessage(), e.getCause() == null ? "" : e.getCause().getMessage());
            return Problem.of(503, "auth-unavailable", "Authorisation unavailable",
                    "The Kubernetes API server could not review the request; try again").toResponse();
        }
        // 401 first; then 404 outside the served namespaces whatever the caller's rights; then 403
        if (notServed && !(decision instanceof Decision.Unauthenticated)) {
            return ServedNamespaces.notServed(namespace).toResponse();
        }
        if (decision instanceof Decision.Allowed allowed) {
            currentCaller.set(allowed.caller());
            return null;
        }
        if (decision instanceof Decision.Denied denied) {
            return Problem.of(403, "forbidden", "Forbidden", denied.reason()).toResponse();
        }
        String reason = ((Decision.Unauthenticated) decision).reason();
        return Response.fromResponse(Problem.of(401, "unauthenticated", "Unauthenticated", reason).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"serin\"").build();
    }

    /** The Host header; for HTTP/2, which has none, the :authority. */
    private static String host(ContainerRequestContext request, HttpServerRequest connection) {
        String host = request.getHeaderString(HttpHeaders.HOST);
        if (host == null && connection.authority() != null) {
            host = connection.authority().toString();
        }
        return host;
    }

    private static String verbOf(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        Authorize a = method.getAnnotation(Authorize.class);
        if (a == null) {
            a = resource.getResourceClass().getAnnotation(Authorize.class);
        }
        return a == null ? null : a.value();
    }

    static String bearerToken(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        header = header.strip();
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
