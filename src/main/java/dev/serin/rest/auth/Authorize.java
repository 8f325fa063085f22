package dev.serin.rest.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The RBAC verb on canaries.serin.dev a caller needs for an endpoint, in the namespace of its {ns} path
 * parameter (cluster-wide when it has none). Every endpoint under /api/v1 must carry one; a new endpoint such
 * as {@code POST .../{name}/pause} only needs {@code @Authorize(Verbs.PATCH)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Authorize {
    String value();
}
