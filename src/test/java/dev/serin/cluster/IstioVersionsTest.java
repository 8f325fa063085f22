package dev.serin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IstioVersionsTest {
    static final Path ISTIO_CRDS = Path.of("../shared/istio");
    static final Set<String> BOTH = Set.of("virtualservices", "destinationrules", "gateways");

    @Test
    void v1IsPreferredThenV1beta1AndV1alpha3AloneIsRefused() {
        assertEquals(Optional.of("v1"), IstioVersions.choose(Map.of("v1", BOTH, "v1beta1", BOTH, "v1alpha3", BOTH)));
        assertEquals(Optional.of("v1beta1"), IstioVersions.choose(Map.of("v1beta1", BOTH, "v1alpha3", BOTH)));
        assertEquals(Optional.empty(), IstioVersions.choose(Map.of("v1alpha3", BOTH)));
        assertEquals(Optional.empty(), IstioVersions.choose(Map.of()));
    }

    @Test
    void aVersionMustServeBothKinds() {
        assertEquals(Optional.of("v1beta1"), IstioVersions.choose(Map.of(
                "v1", Set.of("virtualservices"), "v1beta1", BOTH)));
        assertEquals(Optional.empty(), IstioVersions.choose(Map.of(
                "v1", Set.of("destinationrules"), "v1beta1", Set.of("virtualservices"))));
    }

    @Test
    void istio1296ServesV1AndIstio1216OnlyV1beta1() throws IOException {
        assertEquals(Optional.of("v1"), IstioVersions.choose(served("istio-1.29.6-networking-crds.yaml")));
        assertEquals(Optional.of("v1beta1"), IstioVersions.choose(served("istio-1.21.6-networking-crds.yaml")));
    }

    /** What a cluster with these CustomResourceDefinitions serves: the plurals of each served version. */
    static Map<String, Set<String>> served(String file) throws IOException {
        Path path = ISTIO_CRDS.resolve(file);
        assumeTrue(Files.isRegularFile(path), path.toAbsolutePath() + " not found: Istio's CRDs are test data outside "
                + "the repository (../shared/istio)");
        YAMLMapper yaml = new YAMLMapper();
        List<JsonNode> crds = yaml.readValues(yaml.createParser(path.toFile()), JsonNode.class).readAll();
        Map<String, Set<String>> served = new TreeMap<>();
        for (JsonNode crd : crds) {
            assertEquals(IstioResources.GROUP, crd.at("/spec/group").asText());
            for (JsonNode version : crd.at("/spec/versions")) {
                if (version.path("served").asBoolean()) {
                    served.computeIfAbsent(version.path("name").asText(), v -> new TreeSet<>())
                            .add(crd.at("/spec/names/plural").asText());
                }
            }
        }
        return served;
    }
}
