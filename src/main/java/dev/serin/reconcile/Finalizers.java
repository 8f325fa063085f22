package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Adds and releases {@code serin.dev/finalizer} with JSON patches that touch nothing else. */
@ApplicationScoped
public class Finalizers {
    private final KubernetesClient client;

    public Finalizers(KubernetesClient client) {
        this.client = client;
    }

    public void add(Canary canary) {
        List<String> finalizers = canary.getMetadata().getFinalizers();
        String patch = finalizers == null || finalizers.isEmpty()
                ? "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + Canary.FINALIZER + "\"]}]"
                : "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + Canary.FINALIZER + "\"}]";
        patch(canary, patch);
    }

    /** True when this call released it; false when the Canary was gone already (a pass on a cache behind). */
    public boolean release(Canary canary) {
        int index = canary.getMetadata().getFinalizers().indexOf(Canary.FINALIZER);
        // the test op makes a concurrent change to the list fail the patch instead of removing another finalizer
        return patch(canary, "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + index + "\",\"value\":\"" + Canary.FINALIZER
                + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]");
    }

    private boolean patch(Canary canary, String jsonPatch) {
        try {
            client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                    .resource(canary).patch(PatchContext.of(PatchType.JSON), jsonPatch); // by resource: no GET first
            return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 404) { // gone already: nothing left to hold or release
                throw e;
            }
            return false;
        }
    }
}
