package dev.serin.strict;

import dev.serin.strict.rbac.Decision;
import dev.serin.strict.rbac.Identity;
import dev.serin.strict.rbac.PermissionRecorder;
import dev.serin.strict.rbac.RbacRules;
import dev.serin.strict.validation.FieldError;
import dev.serin.strict.validation.JvmWideCrdValidators;
import dev.serin.strict.validation.ObjectMetaRules;
import dev.serin.strict.validation.ServiceDefaults;
import dev.serin.strict.validation.ServiceRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wires the strict server's judgements: RBAC as k8s/ installs it (every request Serin's ServiceAccount sends is
 * recorded for the two-way coverage check), and admission by the CRDs' schemas and CEL rules and the object rules
 * every real server applies.
 */
public final class StrictCluster {
    private StrictCluster() {
    }

    public static StrictApiServer server(String istioVersion) {
        return server(istioVersion, StrictApiServer.DEFAULT_GATEWAY_API);
    }

    /** Istio and Gateway API of those releases installed (either may be {@link StrictApiServer#NONE}). */
    public static StrictApiServer server(String istioVersion, String gatewayApiVersion) {
        List<Path> crdFiles = StrictApiServer.crdFiles(istioVersion, gatewayApiVersion);
        return new StrictApiServer(istioVersion, gatewayApiVersion, access(), defaulting(crdFiles), admission(crdFiles));
    }

    /**
     * The defaults the real server fills in on decoding: each CRD's {@code default:} values, and a Service's
     * defaults and cluster IP ({@link ServiceDefaults}, one allocator per server).
     */
    static Policies.Defaulting defaulting(List<Path> crdFiles) {
        JvmWideCrdValidators.Validator crds = JvmWideCrdValidators.of(crdFiles);
        ServiceDefaults services = new ServiceDefaults();
        return (served, object, old) -> served.group().isEmpty() && served.kind().equals("Service")
                ? services.apply(object, old)
                : crds.withDefaults(served.group(), served.version(), served.plural(), object);
    }

    /** What every object must be (names, labels, Deployment rules), and what its CRD's schema and rules say. */
    static Policies.Admission admission(List<Path> crdFiles) {
        // Istio's 132 rules take seconds to compile: once per JVM, not once per Quarkus application's class loader
        JvmWideCrdValidators.Validator crds = JvmWideCrdValidators.of(crdFiles);
        return (served, object, old) -> {
            List<FieldError> errors = new ArrayList<>(ObjectMetaRules.validateObject(served.group(), served.kind(), object));
            if (old != null && served.group().isEmpty() && served.kind().equals("Service")) {
                errors.addAll(ServiceRules.validateUpdate(object, old));
            }
            if (crds.serves(served.group(), served.version(), served.plural())) {
                errors.addAll(crds.validate(served.group(), served.version(), served.plural(), object, old));
            }
            return errors.stream().map(e -> new KubeStatus.Cause(e.field(), e.type(), e.message())).toList();
        };
    }

    /** Superusers pass; everyone else is judged by k8s/'s RBAC, and Serin's own requests are recorded. */
    static Policies.Access access() {
        RbacRules rules;
        try {
            rules = RbacRules.fromKustomization(Path.of("k8s")).withDefaults();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PermissionRecorder recorder = PermissionRecorder.ofThisJvm();
        return (who, request) -> {
            if (who.superuser()) {
                return Optional.empty();
            }
            Decision decision = rules.authorize(who, request);
            if (who.equals(Identity.SERIN)) {
                recorder.record(request, decision);
            }
            return decision.allowed() ? Optional.empty() : Optional.of(decision.reason());
        };
    }
}
