package dev.serin.forks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The split of the test classes between the two test JVMs stays what {@link SecondFork} says it is. */
class ForksTest {
    private static final Pattern SECOND = Pattern.compile(SecondFork.CLASSES);
    private static final Pattern SUREFIRE_DEFAULT = Pattern.compile(FirstFork.SUREFIRE_DEFAULT);

    @Test
    void everyClassTheSecondForkNamesExists() throws Exception {
        String alternatives = SecondFork.CLASSES.substring("dev\\.serin\\.(".length(), SecondFork.CLASSES.length() - 1);
        for (String name : alternatives.split("\\|")) {
            String className = "dev.serin." + name.replace("\\.", ".");
            assertTrue(testClasses().contains(className), className + " is named by SecondFork but is no test class");
        }
    }

    @Test
    void eachQuarkusApplicationIsBuiltInOneJvmOnly() throws Exception {
        Map<String, Set<String>> forksOfApplication = new TreeMap<>();
        for (String name : testClasses()) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (type.isAnnotationPresent(QuarkusTest.class)) {
                String fork = SECOND.matcher(name).matches() ? "second" : "first";
                forksOfApplication.computeIfAbsent(application(type), a -> new TreeSet<>()).add(fork + ": " + name);
            }
        }
        List<String> split = forksOfApplication.entrySet().stream()
                .filter(e -> e.getValue().stream().map(c -> c.substring(0, c.indexOf(':'))).distinct().count() > 1)
                .map(e -> e.getKey() + " -> " + e.getValue()).toList();
        assertEquals(List.of(), split, "an application (profile + test resources) whose classes run in both JVMs is "
                + "built twice: move them all into one fork");
    }

    /** What makes Quarkus build an application of its own: the test profile and the test-resource annotations. */
    private static String application(Class<?> type) {
        TestProfile profile = type.getAnnotation(TestProfile.class);
        String resources = Arrays.stream(type.getAnnotations())
                .filter(a -> !(a instanceof QuarkusTest) && !(a instanceof TestProfile))
                .filter(a -> !a.annotationType().getPackageName().startsWith("org.junit"))
                .map(Annotation::toString).sorted().collect(Collectors.joining(" "));
        return (profile == null ? "default" : profile.value().getName()) + " " + resources;
    }

    /** Test classes surefire's default patterns select, from target/test-classes. */
    private static Set<String> testClasses() throws IOException, URISyntaxException {
        Path root = Path.of(ForksTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(f -> root.relativize(f).toString())
                    .filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> SUREFIRE_DEFAULT.matcher(n).matches())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
