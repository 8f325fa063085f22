package dev.serin.traffic;

/** A Canary by namespace and name, whether or not it still exists. */
public record CanaryRef(String namespace, String name) {
}
