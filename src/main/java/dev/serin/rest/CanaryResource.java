package dev.serin.rest;

import dev.serin.rest.auth.Authorize;
import dev.serin.rest.auth.CurrentCaller;
import dev.serin.rest.auth.Verbs;
import dev.serin.rest.dto.CanarySummary;
import dev.serin.rest.dto.StartCanary;
import dev.serin.rest.dto.StrictReader;
import dev.serin.rest.dto.TestersChange;
import dev.serin.rest.dto.WeightChange;
import dev.serin.rest.problem.Problem;
import dev.serin.rest.problem.ProblemException;
import dev.serin.traffic.Weight;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * REST API for people and pipelines: read canaries, move a canary's weight, start and stop canaries. Every write
 * goes to the Canary resource; the controller does the rest. Authorisation happens in
 * {@link dev.serin.rest.auth.AuthFilter} from each method's {@link Authorize} verb.
 */
@Path(CanaryResource.ROOT)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Canaries")
@SecurityScheme(securitySchemeName = "kubernetes", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Kubernetes token for the audience serin (e.g. `kubectl create token my-sa -n web --audience serin`); checked with TokenReview and "
                + "SubjectAccessReview on canaries.serin.dev")
@SecurityRequirement(name = "kubernetes")
@APIResponse(responseCode = "401", description = "No bearer token, or the API server did not authenticate it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The caller may not perform this verb on canaries.serin.dev here",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The Kubernetes API server could not review the caller",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "serin-forbidden: Serin's own service account lacks a permission "
        + "(the installation's RBAC; for the operator to fix); the detail names the verb and resource",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "502", description = "The Kubernetes API server failed while carrying out the request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class CanaryResource {
    public static final String ROOT = "/api/v1";
    static final String CANARY = "/namespaces/{ns}/canaries/{name}";

    private final CanaryService canaries;
    private final CanaryActionRequests actions;
    private final CurrentCaller caller;
    private final CanaryTesters testers;

    public CanaryResource(CanaryService canaries, CanaryActionRequests actions, CurrentCaller caller,
            CanaryTesters testers) {
        this.testers = testers;
        this.canaries = canaries;
        this.actions = actions;
        this.caller = caller;
    }

    @GET
    @Path("/canaries")
    @Authorize(Verbs.LIST)
    @Operation(summary = "List canaries in all namespaces", description = "Needs `list` on canaries.serin.dev cluster-wide.")
    @APIResponse(responseCode = "200", description = "Every Canary",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CanarySummary.class)))
    public List<CanarySummary> listAll() {
        return canaries.listAll();
    }

    @GET
    @Path("/namespaces/{ns}/canaries")
    @Authorize(Verbs.LIST)
    @Operation(summary = "List canaries in a namespace", description = "Needs `list` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "The namespace's canaries",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CanarySummary.class)))
    @APIResponse(responseCode = "404", description = "No such namespace",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<CanarySummary> list(@PathParam("ns") String namespace) {
        return canaries.list(namespace);
    }

    @GET
    @Path(CANARY)
    @Authorize(Verbs.GET)
    @Operation(summary = "Get a canary", description = "Needs `get` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "The canary",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "404", description = "No such namespace or canary",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CanarySummary get(@PathParam("ns") String namespace, @PathParam("name") String name) {
        return canaries.get(namespace, name);
    }

    @PUT
    @Path(CANARY + "/weight")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorize(Verbs.PATCH)
    @CustomDeserialization(StrictReader.class)
    @Operation(summary = "Set a canary's weight",
            description = "Sets spec.weight of the Canary; the controller moves traffic. With `wait`, answers when "
                    + "status.weight (the weight traffic really gets) equals the new weight, or with 202 when the "
                    + "time runs out. Needs `patch` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "Weight set (and, with wait, reached)",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "202", description = "Weight set, but traffic did not reach it within wait",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "400", description = "Weight not a number, outside 0..100, more than 2 decimals; "
            + "unknown field; malformed JSON; invalid wait",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such namespace or canary",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The canary is being stopped, or kept changing concurrently",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "kubernetes-invalid: the Kubernetes API server refused the "
            + "change as invalid; errors lists its causes field by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response setWeight(@PathParam("ns") String namespace, @PathParam("name") String name,
            @Parameter(description = "Wait up to this long (500ms, 5s, 1m30s or PT45S; at most 60s) for traffic to reach"
                    + " the weight",
                    schema = @Schema(type = SchemaType.STRING, example = "5s")) @QueryParam("wait") String wait,
            WeightChange body) {
        Optional<Duration> waitFor = WaitDuration.parse(wait);
        if (body == null || body.weight() == null) {
            throw ProblemException.badRequest("invalid-weight", "Invalid weight", "'weight' is required");
        }
        Weight weight = weightOf(body.weight());
        CanarySummary summary = canaries.setWeight(namespace, name, weight, caller.get());
        if (waitFor.isEmpty()) {
            return Response.ok(summary).build();
        }
        CanaryService.WeightResult result = canaries.awaitWeight(namespace, name, weight, waitFor.get());
        return Response.status(result.reached() ? 200 : 202).entity(result.summary()).build();
    }

    @PUT
    @Path(CANARY + "/testers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorize(Verbs.PATCH)
    @CustomDeserialization(StrictReader.class)
    @Operation(summary = "Set a canary's testers",
            description = "Sets spec.testers: requests matching any of them (a header, or a cookie among the "
                    + "request's cookies) go to the canary whatever the weight, 0 included, while the canary has ready "
                    + "pods; the controller writes the tester routes. [] removes them. Needs `patch` on "
                    + "canaries.serin.dev in the namespace, as setting the weight does.")
    @APIResponse(responseCode = "200", description = "Testers set",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "400", description = "invalid-testers: more than 8, neither or both of header and "
            + "cookie, a header name not lowercase, a cookie value with a space or semicolon; unknown field; "
            + "malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such namespace or canary",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The canary is being stopped, or kept changing concurrently",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "kubernetes-invalid: the Kubernetes API server refused the "
            + "change as invalid; errors lists its causes field by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CanarySummary setTesters(@PathParam("ns") String namespace, @PathParam("name") String name,
            TestersChange body) {
        return testers.set(namespace, name, TesterInput.checked(body == null ? null : body.testers()), caller.get());
    }

    @POST
    @Path("/namespaces/{ns}/canaries")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorize(Verbs.CREATE)
    @CustomDeserialization(StrictReader.class)
    @Operation(summary = "Start a canary",
            description = "Creates a Canary for the target Deployment. Needs `create` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "201", description = "Canary created",
            headers = @Header(name = "Location", description = "URL of the new canary"),
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "400", description = "Invalid field, weight, unknown field or malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such namespace",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The target already has a canary, or the name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "kubernetes-invalid: the Kubernetes API server refused the "
            + "change as invalid; errors lists its causes field by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@PathParam("ns") String namespace, StartCanary body) {
        CanarySummary summary = canaries.start(namespace, body, caller.get());
        return Response.created(UriBuilder.fromPath(ROOT + CANARY).build(namespace, summary.name()))
                .entity(summary).build();
    }

    @DELETE
    @Path(CANARY)
    @Authorize(Verbs.DELETE)
    @Operation(summary = "Stop a canary",
            description = "Deletes the Canary; the controller's finalizer sends all traffic back to the stable "
                    + "Deployment and removes the canary Deployment. Needs `delete` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "202", description = "Stopping; the body is the canary as it was",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "404", description = "No such namespace or canary",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response stop(@PathParam("ns") String namespace, @PathParam("name") String name) {
        return Response.accepted(canaries.stop(namespace, name, caller.get())).build();
    }

    @POST
    @Path(CANARY + "/{action: pause|resume|abort|promote}")
    @Authorize(Verbs.PATCH)
    @Operation(summary = "Pause, resume, abort or promote a canary",
            description = "pause: sets spec.paused, the autopilot takes no step. resume: clears it; after an abort, the "
                    + "autopilot starts again from its first step. abort: phase Aborted, the canary's traffic 0 at once "
                    + "(spec.weight is left as it was), pods kept (scaled to one). promote: the canary's containers go into the target Deployment, then the canary "
                    + "is removed (phase Promoting, then Succeeded); only a valid canary, Progressing or Paused, whose pods "
                    + "are ready and whose weight is applied and above 0 is promoted. Each only patches the Canary; the "
                    + "controller carries it out. Needs `patch` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "Requested; the controller carries it out",
            content = @Content(schema = @Schema(implementation = CanarySummary.class)))
    @APIResponse(responseCode = "404", description = "No such namespace or canary",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The canary is being stopped; action-pending: another "
            + "action (resume, abort, promote) is still to be carried out and this one would replace it; "
            + "not-promotable: promote refused, the detail names the reason (e.g. `Invalid: TargetAlreadyHasCanary`, "
            + "`NotReady`, `Aborted`); conflict: the canary kept changing concurrently",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "kubernetes-invalid: the Kubernetes API server refused the "
            + "change as invalid; errors lists its causes field by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CanarySummary request(@PathParam("ns") String namespace, @PathParam("name") String name,
            @Parameter(schema = @Schema(enumeration = {"pause", "resume", "abort", "promote"})) @PathParam("action") String action) {
        return actions.request(namespace, name, action, caller.get());
    }

    static Weight weightOf(BigDecimal percent) {
        return Weight.ofPercent(percent).orElseThrow(() -> ProblemException.badRequest("invalid-weight", "Invalid weight",
                "weight must be a percent from 0 to 100 with at most 2 decimals, not " + percent.toPlainString()));
    }
}
