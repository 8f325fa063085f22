package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.ContainerPatch;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.dashboard.DashboardLinkBuilder;
import dev.serin.reconcile.NameRules;
import dev.serin.rest.auth.Caller;
import dev.serin.rest.auth.TargetPermission;
import dev.serin.rest.dto.CanarySummary;
import dev.serin.rest.dto.ContainerImage;
import dev.serin.rest.dto.StartCanary;
import dev.serin.rest.problem.ProblemException;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the REST API does to Canary resources. Writes only ever touch the Canary (the controller turns it into
 * Istio changes) and are validated completely before anything is written.
 *
 * <p>Concurrent weight changes: {@link #setWeight} reads the Canary and sends one JSON merge patch of
 * spec.weight that carries the resourceVersion it read. The API server applies it only if nobody changed the
 * Canary in between (409 otherwise, and we re-read and retry). So every accepted change is applied in the order
 * the API server accepts it, the last accepted one is what spec.weight ends with, and the audit line's
 * "old → new" is exact.
 */
@ApplicationScoped
public class CanaryService {
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = Logger.getLogger(CanaryService.class);

    private final KubernetesClient client;
    private final DashboardLinkBuilder dashboards;
    private final Audit audit;
    private final ServedNamespaces served;
    private final CanaryEvents events;
    private final TargetPermission targetPermission;

    public CanaryService(KubernetesClient client, DashboardLinkBuilder dashboards, Audit audit,
            ServedNamespaces served, CanaryEvents events, TargetPermission targetPermission) {
        this.client = client;
        this.targetPermission = targetPermission;
        this.served = served;
        this.events = events;
        this.dashboards = dashboards;
        this.audit = audit;
    }

    public record WeightResult(CanarySummary summary, boolean reached) {
    }

    public List<CanarySummary> listAll() {
        if (served.listed().isEmpty()) {
            return summaries(canaries().inAnyNamespace().list().getItems().stream()
                    .filter(c -> served.serves(c.getMetadata().getNamespace())).toList());
        }
        // namespace by namespace: a namespaced install (k8s/namespaced) grants no cluster-wide list
        List<Canary> all = new ArrayList<>();
        for (String namespace : served.listed()) {
            all.addAll(canaries().inNamespace(namespace).list().getItems());
        }
        return summaries(all);
    }

    public List<CanarySummary> list(String namespace) {
        requireNamespace(namespace);
        return summaries(canaries().inNamespace(namespace).list().getItems());
    }

    public CanarySummary get(String namespace, String name) {
        return summary(require(namespace, name));
    }

    /** Sets spec.weight (see the class comment on concurrency); the caller has been authorised for patch. */
    public CanarySummary setWeight(String namespace, String name, Weight weight, Caller caller) {
        for (int attempt = 1; ; attempt++) {
            Canary current = require(namespace, name);
            if (current.getMetadata().getDeletionTimestamp() != null) {
                throw ProblemException.conflict("Canary " + namespace + "/" + name + " is being stopped");
            }
            Double old = current.getSpec() == null ? null : current.getSpec().weight;
            Map<String, Object> patch = Map.of(
                    "metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()),
                    "spec", Map.of("weight", weight.percent()));
            try {
                Canary updated = canaries().inNamespace(namespace).resource(current) // by resource: no GET first
                        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
                audit.weightChanged(caller, namespace, name, format(old), weight);
                events.record(updated, caller, "WeightSet", "SetWeight", "Weight set to " + weight + "% (was "
                        + format(old) + (old == null ? "" : "%") + ") by " + caller.username());
                return summary(updated);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
                }
                if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("Canary %s/%s changed while setting its weight; retrying", namespace, name);
            }
        }
    }

    /**
     * Waits (watching the Canary, at most {@code timeout}) until status.weight equals {@code weight}.
     * The result says whether it got there; the summary is the latest state either way.
     */
    public WeightResult awaitWeight(String namespace, String name, Weight weight, Duration timeout) {
        Resource<Canary> resource = canaries().inNamespace(namespace).withName(name);
        boolean reached;
        try {
            Canary done = resource.waitUntilCondition(c -> c == null || hasWeight(c, weight),
                    Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            reached = done != null;
        } catch (KubernetesClientTimeoutException e) {
            reached = false;
        }
        return new WeightResult(get(namespace, name), reached);
    }

    static boolean hasWeight(Canary c, Weight weight) {
        Double actual = c.getStatus() == null ? null : c.getStatus().weight;
        return actual != null && Weight.ofPercent(actual).map(weight::equals).orElse(false);
    }

    public CanarySummary start(String namespace, StartCanary request, Caller caller) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-canary", "Invalid canary", "A JSON body is required");
        }
        String target = request.target();
        if (target == null || target.isBlank()) {
            throw ProblemException.badRequest("invalid-canary", "Invalid canary", "'target' is required");
        }
        // the controller's rules (NameRules), so that REST refuses exactly what the controller would
        NameRules.deploymentName(target).ifPresent(why -> {
            throw ProblemException.badRequest("invalid-canary", "Invalid canary", "'target': " + why);
        });
        boolean named = request.name() != null && !request.name().isBlank();
        String name = named ? request.name() : target;
        NameRules.canaryName(name).ifPresent(why -> { // <name>-canary names the canary Deployment and labels its pods
            throw ProblemException.badRequest("invalid-canary", "Invalid canary", named ? "'name': " + why
                    : "'name' is needed: the Canary is named after its target by default, and " + why);
        });
        String version = request.version() == null || request.version().isBlank()
                ? CanaryTemplate.DEFAULT_VERSION : request.version();
        if (NameRules.labelValue(version).isPresent()) {
            throw ProblemException.badRequest("invalid-canary", "Invalid canary", "'version' must be a valid label value");
        }
        Weight weight = request.weight() == null ? Weight.ZERO : CanaryResource.weightOf(request.weight());
        List<ContainerPatch> containers = new ArrayList<>();
        if (request.containers() != null) {
            for (ContainerImage c : request.containers()) {
                if (c == null || c.name() == null || c.name().isBlank() || c.image() == null || c.image().isBlank()) {
                    throw ProblemException.badRequest("invalid-canary", "Invalid canary",
                            "Every container needs a 'name' and an 'image'");
                }
                containers.add(new ContainerPatch(c.name(), c.image()));
            }
        }
        requireNamespace(namespace);
        if (!containers.isEmpty()) { // any image, with the target's ServiceAccount, volumes and secrets
            targetPermission.requireUpdate(caller, namespace, target, "Starting a canary with containers");
        }
        KubernetesResourceList<Canary> existing = canaries().inNamespace(namespace).list();
        for (Canary other : existing.getItems()) {
            if (name.equals(other.getMetadata().getName())) {
                throw ProblemException.conflict("A Canary named " + name + " already exists in " + namespace);
            }
            if (other.getSpec() != null && other.getSpec().targetRef != null && target.equals(other.getSpec().targetRef.name)) {
                throw ProblemException.conflict("Deployment " + target + " already has a canary: "
                        + other.getMetadata().getName());
            }
        }

        Canary canary = new Canary();
        canary.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        CanarySpec spec = new CanarySpec();
        spec.targetRef = new TargetRef(target);
        spec.weight = weight.percent();
        spec.canary = new CanaryTemplate();
        spec.canary.version = version;
        spec.canary.containers = containers.isEmpty() ? null : containers;
        canary.setSpec(spec);
        Canary created;
        try {
            created = canaries().inNamespace(namespace).resource(canary).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw ProblemException.conflict("A Canary named " + name + " already exists in " + namespace);
            }
            throw e;
        }
        audit.started(caller, namespace, name, target, version, weight);
        CanarySummary summary = summary(created);
        recordStarted(created, caller, weight, summary.dashboardUrl());
        return summary;
    }

    public CanarySummary stop(String namespace, String name, Caller caller) {
        Canary canary = require(namespace, name);
        CanarySummary summary = summary(canary);
        List<?> deleted = canaries().inNamespace(namespace).withName(name).delete();
        if (deleted == null || deleted.isEmpty()) {
            throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
        }
        String weightNow = format(canary.getSpec() == null ? null : canary.getSpec().weight);
        audit.stopped(caller, namespace, name, weightNow);
        events.record(canary, caller, "StopRequested", "Stop", "Stop requested by " + caller.username()
                + " at weight " + weightNow + (weightNow.equals("none") ? "" : "%")
                + "; traffic goes back to the stable Deployment");
        return summary;
    }

    /** A core/v1 Event on the Canary, so `kubectl describe canary` shows who started it and where to watch it. */
    private void recordStarted(Canary canary, Caller caller, Weight weight, String dashboardUrl) {
        events.record(canary, caller, "Started", "Start", "Canary started by " + caller.username() + " for Deployment "
                + canary.getSpec().targetRef.name + " at " + weight + "%"
                + (dashboardUrl == null ? "" : "; dashboard: " + dashboardUrl));
    }

    Canary require(String namespace, String name) {
        Canary canary = canaries().inNamespace(namespace).withName(name).get();
        if (canary == null) {
            requireNamespace(namespace);
            throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
        }
        return canary;
    }

    private void requireNamespace(String namespace) {
        if (client.namespaces().withName(namespace).get() == null) {
            throw ProblemException.notFound("Namespace " + namespace + " does not exist");
        }
    }

    private MixedOperation<Canary, KubernetesResourceList<Canary>, Resource<Canary>> canaries() {
        return client.resources(Canary.class);
    }

    private List<CanarySummary> summaries(List<Canary> items) {
        return items.stream()
                .sorted(Comparator.comparing((Canary c) -> c.getMetadata().getNamespace())
                        .thenComparing(c -> c.getMetadata().getName()))
                .map(this::summary)
                .toList();
    }

    CanarySummary summary(Canary c) {
        return CanarySummary.of(c, dashboards::link);
    }

    static String format(Double percent) {
        if (percent == null) {
            return "none";
        }
        return Weight.ofPercent(percent).map(Weight::toString).orElse(percent.toString());
    }
}
