package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What kube-apiserver 1.32 checks on a custom resource, from the CRDs' own YAML: which group/version/plural is
 * served, and a write's errors against that version's openAPIV3Schema and every {@code x-kubernetes-validations} CEL
 * rule in it. Schemas and rules are compiled once, at load; {@link #validate} is thread-safe.
 */
public final class CrdValidator {
    private final Map<String, CrdVersion> versions;

    private CrdValidator(Map<String, CrdVersion> versions) {
        this.versions = versions;
    }

    /** Every CustomResourceDefinition in the files (multi-document YAML); other documents are ignored. */
    public static CrdValidator load(List<Path> crdFiles) {
        Map<String, CrdVersion> versions = new LinkedHashMap<>();
        YAMLMapper yaml = new YAMLMapper();
        for (Path file : crdFiles) {
            try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && "CustomResourceDefinition".equals(document.path("kind").asText())) {
                        addServedVersions(document, versions);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CRDs from " + file, e);
            }
        }
        return new CrdValidator(versions);
    }

    public Optional<ServedResource> resource(String group, String version, String plural) {
        return Optional.ofNullable(versions.get(key(group, version, plural))).map(CrdVersion::resource);
    }

    /** The versions served in the group, in the order the CRDs list them, each once. */
    public List<String> servedVersions(String group) {
        List<String> out = new ArrayList<>();
        versions.values().stream().map(CrdVersion::resource).filter(r -> r.group().equals(group))
                .map(ServedResource::version).filter(v -> !out.contains(v)).forEach(out::add);
        return out;
    }

    /**
     * The object as kube-apiserver decodes a request body or a stored object of that resource, before it validates
     * it: a copy with the schema's {@code default:} values filled in ({@link StructuralDefaults}); the object itself
     * when the resource is not served here or its schema has no defaults.
     */
    public JsonNode withDefaults(String group, String version, String plural, JsonNode object) {
        CrdVersion crd = versions.get(key(group, version, plural));
        return crd == null ? object : crd.withDefaults(object);
    }

    /**
     * The errors the real server would give for writing object (oldObject: the stored one on update, null on
     * create); empty when it would accept it. IllegalArgumentException when the resource is not served.
     */
    public List<FieldError> validate(String group, String version, String plural, JsonNode object, JsonNode oldObject) {
        CrdVersion crd = versions.get(key(group, version, plural));
        if (crd == null) {
            throw new IllegalArgumentException("not served: " + key(group, version, plural));
        }
        return crd.validate(object, oldObject);
    }

    private static void addServedVersions(JsonNode crd, Map<String, CrdVersion> versions) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        String plural = spec.path("names").path("plural").asText();
        String kind = spec.path("names").path("kind").asText();
        boolean namespaced = "Namespaced".equals(spec.path("scope").asText());
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(false)) {
                continue;
            }
            String name = version.path("name").asText();
            boolean status = version.path("subresources").has("status");
            ServedResource resource = new ServedResource(group, name, plural, kind, namespaced, status);
            JsonNode schema = version.path("schema").get("openAPIV3Schema");
            try {
                versions.put(key(group, name, plural), new CrdVersion(resource, schema));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("CRD " + crd.path("metadata").path("name").asText() + " version "
                        + name + ": " + e.getMessage(), e);
            }
        }
    }

    private static String key(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }
}
