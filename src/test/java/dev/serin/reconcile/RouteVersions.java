package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.strict.StrictApiServer;
import dev.serin.strict.Written;
import java.util.ArrayList;
import java.util.List;

/** Every VirtualService version the strict server stored in one namespace, read against the canary's pods. */
public final class RouteVersions {
    private RouteVersions() {
    }

    /**
     * Route versions that name the canary subset before the pods of Deployment {@code canary} were first ready or
     * after they started going (deleted or marked for deletion); asserts that both happened.
     */
    public static List<String> canaryNamedOutsideReadyPods(StrictApiServer server, String namespace, String canary) {
        List<Written.Write> writes = server.writes().stream().filter(w -> namespace.equals(w.namespace())).toList();
        int ready = -1;
        int going = writes.size();
        for (int i = 0; i < writes.size(); i++) {
            Written.Write w = writes.get(i);
            if (ready < 0 && "deployments".equals(w.resource()) && canary.equals(w.name())
                    && w.object().at("/status/readyReplicas").asInt(0) > 0) {
                ready = i;
            }
            if (going == writes.size() && "deployments".equals(w.resource()) && canary.equals(w.name())
                    && ("delete".equals(w.verb()) || w.object().at("/metadata/deletionTimestamp").isTextual())) {
                going = i;
            }
        }
        assertTrue(ready >= 0 && going < writes.size(), "the canary pods were ready, then went");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Written.Write w = writes.get(i);
            if ((i < ready || i > going) && "virtualservices".equals(w.resource())
                    && w.object().toString().contains("\"subset\":\"canary\"")) {
                wrong.add(i + ": " + w.verb() + " " + w.object().at("/spec/http"));
            }
        }
        return wrong;
    }
}
