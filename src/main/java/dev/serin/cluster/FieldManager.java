package dev.serin.cluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.Set;

/**
 * Adds {@code fieldManager=serin} to every write Serin sends (create, update, patch), so managedFields name Serin
 * and a GitOps tool or a person can tell its fields from theirs. A request that names a manager keeps it.
 */
public final class FieldManager implements Interceptor {
    public static final String NAME = "serin";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        // reviews (TokenReview, SubjectAccessReview) are questions, never stored: nothing to manage
        if (WRITES.contains(request.method()) && !request.uri().getPath().endsWith("reviews")) {
            builder.uri(withManager(request.uri()));
        }
    }

    static URI withManager(URI uri) {
        String query = uri.getRawQuery();
        if (query != null && ("&" + query).contains("&fieldManager=")) {
            return uri;
        }
        String added = (query == null || query.isEmpty() ? "" : query + "&") + "fieldManager=" + NAME;
        String text = uri.toString();
        int cut = text.indexOf('?');
        int hash = text.indexOf('#');
        String base = cut >= 0 ? text.substring(0, cut) : hash >= 0 ? text.substring(0, hash) : text;
        return URI.create(base + "?" + added + (hash >= 0 ? text.substring(hash) : ""));
    }
}
