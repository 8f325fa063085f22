package dev.serin.rest.auth;

/** What {@link Authorizer} says about a token, verb and namespace. */
public sealed interface Decision {
    record Allowed(Caller caller) implements Decision {
    }

    record Denied(Caller caller, String reason) implements Decision {
    }

    record Unauthenticated(String reason) implements Decision {
    }
}
