package dev.serin.rest.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.serin.rest.auth.AuthFilter;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of the REST API (paths under /api/v1) into {@code application/problem+json}, including Jackson's own errors
 * (malformed JSON, unknown property, wrong type), which Quarkus REST would otherwise answer in its own format.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        if (!isApi(uri)) {
            return Response.status(400).build();
        }
        return bodyProblem(e).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (!isApi(uri)) {
            return e.getResponse();
        }
        // Quarkus REST wraps JSON syntax errors into a 400 WebApplicationException.
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return bodyProblem(jpe).toResponse();
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family != Response.Status.Family.CLIENT_ERROR && family != Response.Status.Family.SERVER_ERROR) {
            return e.getResponse();
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.of(status, null, reason, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response kubernetes(KubernetesClientException e, UriInfo uri) {
        if (!isApi(uri)) {
            return Response.serverError().build();
        }
        Problem problem = KubernetesProblems.of(e);
        // a permission Serin lacks is for the operator to fix: say so where they look
        LOG.logf(problem.status() == 500 ? Logger.Level.ERROR : Logger.Level.WARN, "Kubernetes API call failed: %s",
                e.getMessage());
        return problem.toResponse();
    }

    /** Only the REST API speaks problem+json; other JAX-RS endpoints of the application keep the defaults. */
    private static boolean isApi(UriInfo uri) {
        String path = uri == null ? null : uri.getPath();
        return path != null && (path.equals(AuthFilter.API_PREFIX) || path.startsWith(AuthFilter.API_PREFIX + "/"));
    }

    static Problem bodyProblem(JsonProcessingException e) {
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "Unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String path = path((JsonMappingException) e);
            detail = path.isEmpty() ? "The request body has the wrong shape" : "Field '" + path + "' has the wrong type";
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith(StrictMessages.PREFIX)) {
                detail = e.getOriginalMessage().substring(StrictMessages.PREFIX.length());
            }
        } else {
            detail = "The request body is not valid JSON";
        }
        return Problem.of(400, "malformed-request", "Malformed request", detail);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Messages our own deserializers put into Jackson exceptions, meant to be shown to the caller. */
    public static final class StrictMessages {
        public static final String PREFIX = "serin: ";

        private StrictMessages() {
        }
    }
}
