package dev.serin;

import dev.serin.cluster.IstioResources;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes fabric8's mock server answer API discovery for networking.istio.io the way a cluster with a given Istio
 * does: the mock serves no discovery of its own, and its CRUD store accepts any group version. Used as
 * {@code @WithKubernetesTestServer(crud = true, setup = IstioDiscovery.V1.class)}, which runs before the application
 * starts. This is the one place where tests say which Istio versions their API server serves.
 */
public final class IstioDiscovery {
    public static final String GROUP_PATH = "/apis/" + IstioResources.GROUP;
    private static final List<String> KNOWN = List.of("v1", "v1beta1", "v1alpha3");

    private IstioDiscovery() {
    }

    /** Istio 1.22 and later (1.29.6's CRDs): v1, v1beta1 and v1alpha3. */
    public static class V1 implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            serve(server, () -> List.of("v1", "v1beta1", "v1alpha3"));
        }
    }

    /** Istio before 1.22 (1.21.6's CRDs): v1beta1 and v1alpha3, no v1. */
    public static class V1beta1 implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            serve(server, () -> List.of("v1beta1", "v1alpha3"));
        }
    }

    /** No Istio until a test calls {@link #install}: then the versions it names. */
    public static class InstalledLater implements Consumer<KubernetesServer> {
        private static volatile List<String> served = List.of();

        public static void install(String... versions) {
            served = List.of(versions);
        }

        @Override
        public void accept(KubernetesServer server) {
            served = List.of();
            serve(server, () -> served);
        }
    }

    /** The group and each served version list VirtualServices and DestinationRules; anything else is a 404. */
    public static void serve(KubernetesServer server, Supplier<List<String>> served) {
        serve(server::expect, served);
    }

    /** The same on any fabric8 mock server (the benchmark runs one in its own process). */
    public static void serve(Supplier<MockServerExpectation> expect, Supplier<List<String>> served) {
        expect.get().get().withPath(GROUP_PATH).andReply(reply(request -> {
            List<String> versions = served.get();
            return versions.isEmpty() ? null : new APIGroupBuilder().withName(IstioResources.GROUP)
                    .withVersions(versions.stream().map(IstioDiscovery::groupVersion).toList())
                    .withPreferredVersion(groupVersion(versions.get(0))).build();
        })).always();
        for (String version : KNOWN) {
            expect.get().get().withPath(GROUP_PATH + "/" + version).andReply(reply(request ->
                    served.get().contains(version) ? resources(version) : null)).always();
        }
    }

    private static Object resources(String version) {
        return new APIResourceListBuilder().withGroupVersion(IstioResources.GROUP + "/" + version)
                .addNewResource().withName("virtualservices").withSingularName("virtualservice")
                .withKind("VirtualService").withNamespaced(true).withShortNames("vs").endResource()
                .addNewResource().withName("destinationrules").withSingularName("destinationrule")
                .withKind("DestinationRule").withNamespaced(true).withShortNames("dr").endResource()
                .build();
    }

    private static GroupVersionForDiscovery groupVersion(String version) {
        return new GroupVersionForDiscovery(IstioResources.GROUP + "/" + version, version);
    }

    /** 200 with the document, or the API server's 404 Status when there is none. */
    private static ResponseProvider<Object> reply(Function<RecordedRequest, Object> document) {
        return new ResponseProvider<>() {
            private Headers headers = Headers.builder().build();

            @Override
            public Object getBody(RecordedRequest request) {
                Object body = document.apply(request);
                return body != null ? Serialization.asJson(body)
                        : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                                + "\"code\":404,\"message\":\"the server could not find the requested resource\"}";
            }

            @Override
            public int getStatusCode(RecordedRequest request) {
                return document.apply(request) != null ? 200 : 404;
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers headers) {
                this.headers = headers;
            }
        };
    }
}
