package dev.serin.rest.auth;

/** Value of serin.api.auth. */
public enum AuthMode {
    /** Callers send a bearer token; TokenReview says who they are, SubjectAccessReview what they may do. */
    kubernetes,
    /** No checks at all: anyone who reaches the port may change traffic. For local development only. */
    none
}
