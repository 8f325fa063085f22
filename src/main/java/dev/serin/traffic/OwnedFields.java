package dev.serin.traffic;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What a router wrote for a Canary, for telling who else writes it: which objects, in words people read, and the
 * managedFields key of the field the router owns in them (so the last other manager of that field is named).
 *
 * @param description e.g. "routes Serin wrote in VirtualService api"
 * @param objects     those objects as the cache has them now
 * @param field       e.g. "f:http"
 */
public record OwnedFields(String description, List<HasMetadata> objects, String field) {
}
