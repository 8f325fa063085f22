package dev.serin.ui;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.rest.CanaryResource;
import dev.serin.rest.auth.Authorize;
import dev.serin.rest.auth.Verbs;
import dev.serin.rest.problem.Problem;
import dev.serin.rest.problem.ProblemException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the dashboard (/ui/) reads besides the canary summaries: a Canary's weights over time and its analysis
 * checks with their bounds. Authorised like GET of the canary ({@link dev.serin.rest.auth.AuthFilter}).
 */
// the class path is /api/v1 like CanaryResource's: a longer one would take every request under it away from there
@Path(CanaryResource.ROOT)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Canaries")
@SecurityRequirement(name = "kubernetes")
@APIResponse(responseCode = "404", description = "No such namespace or canary",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class DashboardResource {
    private static final String CANARY = "/namespaces/{ns}/canaries/{name}";
    private final KubernetesClient client;
    private final CanaryHistory history;
    private final ObservedShareRange prometheus;

    public DashboardResource(KubernetesClient client, CanaryHistory history, ObservedShareRange prometheus) {
        this.client = client;
        this.history = history;
        this.prometheus = prometheus;
    }

    @GET
    @Path(CANARY + "/history")
    @Authorize(Verbs.GET)
    @Operation(summary = "A canary's weights over time",
            description = "Desired weight, applied weight, observed share and phase, a point each time one changed, as "
                    + "this Serin saw them since it started (in memory, at most serin.ui.history.max-points; every "
                    + "replica records them, leader or not); with the "
                    + "observed share from Prometheus' query_range when a Prometheus is known for the canary, by "
                    + "status.observed's rule and query (since the weight last changed, at most serin.observed.window, "
                    + "none below serin.observed.min-requests). "
                    + "Needs `get` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "Oldest first",
            content = @Content(schema = @Schema(implementation = HistoryView.class)))
    public HistoryView history(@PathParam("ns") String namespace, @PathParam("name") String name) {
        return prometheus.history(require(namespace, name), history.points(namespace, name));
    }

    @GET
    @Path(CANARY + "/analyses")
    @Authorize(Verbs.GET)
    @Operation(summary = "A canary's last analysis checks",
            description = "status.analysis, newest last, each metric with the bound spec.autopilot.analysis holds it to. "
                    + "Needs `get` on canaries.serin.dev in the namespace.")
    @APIResponse(responseCode = "200", description = "Newest last",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = AnalysisView.class)))
    public List<AnalysisView> analyses(@PathParam("ns") String namespace, @PathParam("name") String name) {
        return AnalysisView.of(require(namespace, name));
    }

    private Canary require(String namespace, String name) {
        Canary canary = client.resources(Canary.class).inNamespace(namespace).withName(name).get();
        if (canary == null) {
            throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
        }
        return canary;
    }
}
