package dev.serin.rest.auth;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;

/** The SubjectAccessReview that asks whether a caller, exactly as TokenReview described them, may do something. */
final class AccessReviews {
    private AccessReviews() {
    }

    static SubjectAccessReview of(Caller caller, ResourceAttributes attributes) {
        return new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(caller.username())
                .withUid(caller.uid())
                .withGroups(caller.groups())
                .withExtra(caller.extra())
                .withResourceAttributes(attributes)
                .endSpec()
                .build();
    }
}
