package dev.serin.rest.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ContainerImage", description = "A container of the target Deployment, matched by name, and its canary image")
public record ContainerImage(
        @Schema(required = true, example = "web") String name,
        @Schema(required = true, example = "registry.example/web:1.4.0") String image) {
}
