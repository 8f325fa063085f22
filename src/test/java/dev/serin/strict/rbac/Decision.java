package dev.serin.strict.rbac;

/**
 * The RBAC verdict on one request. Allowed: which binding and role allowed it. Denied: the message the real API
 * server puts in its 403 Status, e.g. {@code leases.coordination.k8s.io "serin-leader" is forbidden: User "..."
 * cannot patch resource "leases" in API group "coordination.k8s.io" in the namespace "serin-system"}.
 */
public record Decision(boolean allowed, String reason) {

    static Decision allow(String reason) {
        return new Decision(true, reason);
    }

    static Decision deny(String user, RequestAttributes request) {
        return new Decision(false, ForbiddenMessage.of(user, request));
    }
}
