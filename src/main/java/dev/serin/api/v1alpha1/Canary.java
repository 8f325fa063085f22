package dev.serin.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A canary release of one Deployment that receives an exact share of traffic through Istio. */
@Group(Canary.GROUP)
@Version(Canary.VERSION)
@Kind("Canary")
@Plural("canaries")
@Singular("canary")
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.targetRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.weight", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".status.weight", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Observed", jsonPath = ".status.observed.share",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = Rules.NAME_LEAVES_ROOM_FOR_SUFFIX, message = "metadata.name must be at most 56 characters:"
        + " the canary Deployment is named <name>-canary and both names are used as label values (at most 63)")
@ValidationRule(value = Rules.NAME_FITS_SERVICES, message = "with spec.traffic.httpRoutes, metadata.name must be a"
        + " DNS-1035 label (a letter first, then letters, digits and '-'): Serin names Services <name>-stable and"
        + " <name>-canary")
public class Canary extends CustomResource<CanarySpec, CanaryStatus> implements Namespaced {
    public static final String GROUP = "serin.dev";
    public static final String VERSION = "v1alpha1";
    public static final String FINALIZER = "serin.dev/finalizer";
    public static final String CANARY_LABEL = "serin.dev/canary";
    /** A person's request (abort, promote, resume) waiting for the controller to carry it out. */
    public static final String ACTION_ANNOTATION = "serin.dev/action";

    @Override
    @Required // a Canary without spec is refused by the API server
    public CanarySpec getSpec() {
        return super.getSpec();
    }
}
