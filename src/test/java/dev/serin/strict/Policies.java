package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.strict.rbac.Identity;
import dev.serin.strict.rbac.RequestAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The judgements the strict server makes that a mock does not: who may do what, what may be stored, and what the
 * server fills in before it judges (defaults).
 */
public final class Policies {
    private Policies() {
    }

    /** Authorisation: empty when allowed, else the real server's Forbidden message. */
    @FunctionalInterface
    public interface Access {
        Optional<String> deny(Identity who, RequestAttributes request);

        Access ALLOW_ALL = (who, request) -> Optional.empty();
    }

    /** Admission: what is wrong with an object about to be stored ({@code old} is null on create). */
    @FunctionalInterface
    public interface Admission {
        List<KubeStatus.Cause> check(ApiCatalog.Served served, JsonNode object, JsonNode old);

        Admission ACCEPT_ALL = (served, object, old) -> List.of();
    }

    /**
     * Decoding: the object as the real server holds it once it has decoded a request (create and update bodies, the
     * result of a patch), before admission judges it: CRD {@code default:} values, built-in kinds' defaults and what
     * the server allocates. {@code old} is the stored object on update and patch, null on create.
     */
    @FunctionalInterface
    public interface Defaulting {
        JsonNode apply(ApiCatalog.Served served, JsonNode object, JsonNode old);

        Defaulting NONE = (served, object, old) -> object;
    }
}
