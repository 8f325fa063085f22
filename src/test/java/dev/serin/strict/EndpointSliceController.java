package dev.serin.strict;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the cluster's EndpointSlice controller (and, with {@link #followDeployments}, the ReplicaSet controller's
 * part that makes pods) for one namespace: for every Service with a selector it keeps one EndpointSlice labelled
 * {@code kubernetes.io/service-name: <service>} that lists the pods the selector matches, each with
 * {@code conditions.ready} from the pod's Ready condition (and false while it is terminating), and the Service's
 * ports resolved against the pods' container ports. A Service without a selector or gone loses its slice. Pods are
 * the tests' to make ({@link #pods}, {@link #setReady}); written as the administrator, like every other controller
 * the tests play.
 */
public final class EndpointSliceController implements AutoCloseable {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private static final AtomicInteger POD_IPS = new AtomicInteger(2);

    private final KubernetesClient client;
    private final String namespace;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean closed;

    public EndpointSliceController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Keeps the slices current from now on, on every change of a Service or a pod, until {@link #close}. */
    public EndpointSliceController start() {
        informers.add(client.services().inNamespace(namespace).inform(onAnyChange()));
        informers.add(client.pods().inNamespace(namespace).inform(onAnyChange()));
        sync();
        return this;
    }

    /**
     * Also keeps each Deployment's pods in line with it, as its ReplicaSet and the kubelet would at once:
     * spec.replicas pods with the template's labels (replaced when the template's labels change), owned by the
     * Deployment so they go with it, as many of them Ready as status.readyReplicas says (so {@code Fixture.markReady}
     * makes them ready endpoints).
     */
    public EndpointSliceController followDeployments() {
        informers.add(client.apps().deployments().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                keepPods(deployment);
            }

            @Override
            public void onUpdate(Deployment old, Deployment deployment) {
                keepPods(deployment);
            }

            @Override
            public void onDelete(Deployment deployment, boolean unknown) {
            }
        }));
        return this;
    }

    /** One pass: every Service's slice made to list what it should now. */
    public synchronized void sync() {
        if (closed) {
            return;
        }
        List<Service> services = client.services().inNamespace(namespace).list().getItems();
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        for (Service service : services) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                delete(service.getMetadata().getName());
            } else {
                write(desired(service, pods.stream().filter(p -> matches(selector, p)).toList()));
            }
        }
        List<String> names = services.stream().filter(s -> s.getSpec().getSelector() != null
                && !s.getSpec().getSelector().isEmpty()).map(s -> s.getMetadata().getName()).toList();
        client.discovery().v1().endpointSlices().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY).list()
                .getItems().stream().map(s -> s.getMetadata().getLabels().get(SERVICE_NAME_LABEL))
                .filter(service -> !names.contains(service)).forEach(this::delete);
    }

    /** The slice of a Service, or null. */
    public EndpointSlice slice(String service) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace).withName(sliceName(service)).get();
    }

    /** Creates {@code count} pods of the Deployment (its template's labels and containers), owned by it. */
    public List<Pod> pods(Deployment deployment, int count, boolean ready) {
        List<Pod> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(pod(deployment, deployment.getMetadata().getName() + "-" + podSuffix(deployment) + "-" + i, ready));
        }
        return made;
    }

    /** Sets the pod's Ready condition, as the kubelet does when its readiness probe changes. */
    public Pod setReady(String pod, boolean ready) {
        Pod current = client.pods().inNamespace(namespace).withName(pod).get();
        current.setStatus(status(current.getStatus().getPodIP(), ready));
        return client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private synchronized void keepPods(Deployment deployment) {
        if (closed) {
            return;
        }
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int readyReplicas = deployment.getStatus() == null ? 0
                : Objects.requireNonNullElse(deployment.getStatus().getReadyReplicas(), 0);
        String prefix = deployment.getMetadata().getName() + "-" + podSuffix(deployment) + "-";
        List<Pod> owned = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(deployment.getMetadata().getUid())))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        List<String> kept = new ArrayList<>();
        for (Pod pod : owned) {
            if (pod.getMetadata().getName().startsWith(prefix) && kept.size() < replicas) {
                kept.add(pod.getMetadata().getName());
                boolean ready = kept.size() <= readyReplicas;
                if (ready(pod) != ready) {
                    setReady(pod.getMetadata().getName(), ready);
                }
            } else {
                client.pods().inNamespace(namespace).resource(pod).delete();
            }
        }
        for (int i = 0; kept.size() < replicas; i++) {
            String name = prefix + i;
            if (!kept.contains(name)) {
                kept.add(name);
                pod(deployment, name, kept.size() <= readyReplicas);
            }
        }
    }

    private Pod pod(Deployment deployment, String name, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid())
                        .withController(true).build())
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build();
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        int n = POD_IPS.getAndIncrement();
        created.setStatus(status("10.244." + (n / 250) + "." + (n % 250 + 2), ready));
        return client.pods().inNamespace(namespace).resource(created).updateStatus();
    }

    /** A short hash of the template's labels, as a ReplicaSet's pod-template-hash: new labels, new pods. */
    private static String podSuffix(Deployment deployment) {
        return Integer.toString(Math.abs(Objects.hashCode(deployment.getSpec().getTemplate().getMetadata().getLabels()))
                % 46656, 36);
    }

    private static io.fabric8.kubernetes.api.model.PodStatus status(String ip, boolean ready) {
        PodCondition condition = new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build();
        return new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .addNewPodIP(ip).withConditions(condition).build();
    }

    private EndpointSlice desired(Service service, List<Pod> pods) {
        String name = service.getMetadata().getName();
        List<Endpoint> endpoints = pods.stream().filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> new EndpointBuilder().withAddresses(p.getStatus().getPodIP())
                        .withNewConditions().withReady(ready(p)).withServing(ready(p))
                        .withTerminating(p.getMetadata().getDeletionTimestamp() != null).endConditions()
                        .withNewTargetRef().withKind("Pod").withName(p.getMetadata().getName())
                        .withNamespace(namespace).withUid(p.getMetadata().getUid()).endTargetRef()
                        .build())
                .toList();
        List<EndpointPort> ports = service.getSpec().getPorts().stream().map(port -> new EndpointPortBuilder()
                .withName(port.getName() == null ? "" : port.getName()).withProtocol(port.getProtocol())
                .withPort(targetPort(port, pods)).build()).toList();
        return new EndpointSliceBuilder().withNewMetadata().withName(sliceName(name)).withNamespace(namespace)
                .withLabels(Map.of(SERVICE_NAME_LABEL, name, MANAGED_BY_LABEL, MANAGED_BY))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(name)
                        .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints).withPorts(ports).build();
    }

    private void write(EndpointSlice desired) {
        var slices = client.discovery().v1().endpointSlices().inNamespace(namespace);
        EndpointSlice live = slices.withName(desired.getMetadata().getName()).get();
        try {
            if (live == null) {
                slices.resource(desired).create();
            } else if (!Objects.equals(live.getEndpoints(), desired.getEndpoints())
                    || !Objects.equals(live.getPorts(), desired.getPorts())) {
                live.setEndpoints(desired.getEndpoints());
                live.setPorts(desired.getPorts());
                slices.resource(live).update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // written meanwhile by another pass: the event that follows brings the next one
        }
    }

    private void delete(String service) {
        client.discovery().v1().endpointSlices().inNamespace(namespace).withName(sliceName(service)).delete();
    }

    private static String sliceName(String service) {
        return service + "-strict";
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean matches(Map<String, String> selector, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** targetPort as a number: itself, or the named container port of the first pod that has it. */
    private static Integer targetPort(ServicePort port, List<Pod> pods) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
            return port.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        return pods.stream().flatMap(p -> p.getSpec().getContainers().stream())
                .flatMap(c -> c.getPorts().stream()).filter(p -> target.getStrVal().equals(p.getName()))
                .map(io.fabric8.kubernetes.api.model.ContainerPort::getContainerPort).findFirst().orElse(null);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> onAnyChange() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                sync();
            }

            @Override
            public void onUpdate(T old, T object) {
                sync();
            }

            @Override
            public void onDelete(T object, boolean unknown) {
                sync();
            }
        };
    }
}
