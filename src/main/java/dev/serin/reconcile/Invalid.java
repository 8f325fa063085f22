package dev.serin.reconcile;

/** Why a Canary cannot be acted on: the reason and message of its {@code Valid=False} condition. */
public record Invalid(String reason, String message) {
}
