package dev.serin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads install manifests: the objects in a (multi-document) YAML file, and what a kustomization.yaml lists. */
public final class Manifests {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every object a kustomization renders from its {@code resources:} files, in the order listed. */
    public static List<HasMetadata> kustomization(Path dir) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (String resource : kustomizationResources(dir.resolve("kustomization.yaml"))) {
            objects.addAll(load(dir.resolve(resource)));
        }
        return objects;
    }

    /** The {@code resources:} of a kustomization.yaml, as written (paths relative to its folder). */
    @SuppressWarnings("unchecked")
    public static List<String> kustomizationResources(Path kustomization) throws IOException {
        Map<String, Object> k = SERIALIZATION.unmarshal(Files.readString(kustomization), Map.class);
        if (!"Kustomization".equals(k.get("kind"))) {
            throw new IllegalArgumentException(kustomization + " is not a Kustomization: kind " + k.get("kind"));
        }
        Object resources = k.get("resources");
        return resources == null ? List.of() : ((List<Object>) resources).stream().map(String::valueOf).toList();
    }

    public static List<HasMetadata> load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Every document in a (multi-document) YAML text, through fabric8's own deserializer. */
    public static List<HasMetadata> parse(String yaml, String where) {
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(yaml);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " does not parse as Kubernetes YAML: " + e.getMessage(), e);
        }
        List<HasMetadata> objects = new ArrayList<>();
        collect(parsed, objects, where);
        return objects;
    }

    private static void collect(Object parsed, List<HasMetadata> into, String where) {
        if (parsed == null) {
            return; // an empty document, e.g. a trailing "---"
        }
        if (parsed instanceof KubernetesList list) {
            list.getItems().forEach(i -> collect(i, into, where));
        } else if (parsed instanceof Collection<?> list) {
            list.forEach(i -> collect(i, into, where));
        } else if (parsed instanceof HasMetadata o) {
            into.add(o);
        } else {
            throw new IllegalArgumentException(
                    where + " holds a document that is not a Kubernetes object: " + parsed.getClass().getName());
        }
    }
}
