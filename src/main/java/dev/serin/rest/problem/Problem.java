package dev.serin.rest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, sent as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "URI naming the kind of problem", example = "https://serin.dev/problems/invalid-weight") String type,
        @Schema(description = "Short summary of the kind of problem", example = "Invalid weight") String title,
        @Schema(description = "HTTP status code", example = "400") int status,
        @Schema(description = "What went wrong in this request") String detail,
        @Schema(description = "For 422 (kubernetes-invalid): each cause the Kubernetes API server gave, field by field")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final String BASE = "https://serin.dev/problems/";

    public Problem(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(slug == null ? "about:blank" : BASE + slug, title, status, detail);
    }

    public Problem withErrors(List<FieldError> errors) {
        return new Problem(type, title, status, detail, errors);
    }

    /** One cause of a refusal: the field it concerns (absent when it concerns none) and what is wrong. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "Path of the field in the Canary", example = "spec.weight") String field,
            @Schema(description = "What is wrong with it") String message) {
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
