package dev.serin.strict.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * CRD validators compiled once per JVM, for the strict server. Quarkus tests load test classes in a class loader per
 * application, so a static cache beside {@link CrdValidator} would compile Istio's CEL rules again (seconds, cold) for
 * every application. This class runs its cache in the system class loader, which every Quarkus class loader of the
 * surefire JVM sits on; only JDK types cross between the loaders: JSON text in, {field, type, message} (or the
 * defaulted JSON) out.
 */
public final class JvmWideCrdValidators {
    private static final Logger LOG = Logger.getLogger(JvmWideCrdValidators.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In place of the old object: asks for the object with its defaults instead of its errors. */
    private static final String DEFAULTS = "\u0000defaults";
    /** Filled in the system class loader's copy of this class only. */
    private static final Map<List<String>, Function<List<String>, List<List<String>>>> COMPILED = new ConcurrentHashMap<>();

    private JvmWideCrdValidators() {
    }

    /** What the strict server asks of the CRDs in a set of files. */
    public interface Validator {
        /** Whether the CRDs serve this resource. */
        boolean serves(String group, String version, String plural);

        /** The errors the real server would give (oldObject: the stored one on update, null on create). */
        List<FieldError> validate(String group, String version, String plural, JsonNode object, JsonNode oldObject);

        /** The object with its CRD's {@code default:} values filled in (the object itself when not served). */
        JsonNode withDefaults(String group, String version, String plural, JsonNode object);
    }

    /** The validator of these CRD files, compiled on first use in this JVM. */
    public static Validator of(List<Path> crdFiles) {
        List<String> files = crdFiles.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        Function<List<String>, List<List<String>>> shared = sharedCompiled(files);
        return new Validator() {
            @Override
            public boolean serves(String group, String version, String plural) {
                return shared.apply(Arrays.asList(group, version, plural, null, null)) != null;
            }

            @Override
            public List<FieldError> validate(String group, String version, String plural, JsonNode object,
                    JsonNode oldObject) {
                List<List<String>> errors = shared.apply(Arrays.asList(group, version, plural, text(object),
                        oldObject == null ? null : text(oldObject)));
                if (errors == null) {
                    throw new IllegalArgumentException("not served: " + group + "/" + version + "/" + plural);
                }
                return errors.stream().map(e -> new FieldError(e.get(0), e.get(1), e.get(2))).toList();
            }

            @Override
            public JsonNode withDefaults(String group, String version, String plural, JsonNode object) {
                List<List<String>> defaulted = shared.apply(Arrays.asList(group, version, plural, text(object),
                        DEFAULTS));
                return defaulted == null ? object : tree(defaulted.get(0).get(0));
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Function<List<String>, List<List<String>>> sharedCompiled(List<String> files) {
        Class<?> jvmWide;
        try {
            jvmWide = ClassLoader.getSystemClassLoader().loadClass(JvmWideCrdValidators.class.getName());
        } catch (ClassNotFoundException e) { // test classes not on the system class path: this loader's copy
            jvmWide = JvmWideCrdValidators.class;
        }
        try {
            return (Function<List<String>, List<List<String>>>) jvmWide.getMethod("compiled", List.class)
                    .invoke(null, files);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs in the system class loader: for [group, version, plural, object JSON or null, old object JSON or null],
     * null when the resource is not served, else the errors (empty when there is no object to validate).
     */
    public static Function<List<String>, List<List<String>>> compiled(List<String> files) {
        return COMPILED.computeIfAbsent(List.copyOf(files), f -> {
            long start = System.nanoTime();
            CrdValidator crds = CrdValidator.load(f.stream().map(Path::of).toList());
            LOG.infof("compiled the CRDs' schemas and rules of %s in %d ms, once in this JVM", f,
                    (System.nanoTime() - start) / 1_000_000);
            return request -> {
                String group = request.get(0);
                String version = request.get(1);
                String plural = request.get(2);
                if (crds.resource(group, version, plural).isEmpty()) {
                    return null;
                }
                if (request.get(3) == null) {
                    return List.of();
                }
                if (DEFAULTS.equals(request.get(4))) {
                    return List.of(List.of(text(crds.withDefaults(group, version, plural, tree(request.get(3))))));
                }
                return crds.validate(group, version, plural, tree(request.get(3)), tree(request.get(4))).stream()
                        .map(e -> List.of(e.field(), e.type(), e.message())).toList();
            };
        });
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
