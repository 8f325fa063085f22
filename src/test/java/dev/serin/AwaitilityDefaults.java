package dev.serin;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility looks every 50 ms in every test, not every 100 ms: its default also waits that long before the first
 * look, and most awaits here are over within tens of milliseconds (a watch event, a reconcile). Deadlines and
 * {@code during} stay as each test sets them. Registered in META-INF/services (JUnit's extension autodetection, which
 * Quarkus' junit-platform.properties turns on); set on the Awaitility the test instance's class loader sees, as a
 * {@code @QuarkusTest} runs in its application's class loader.
 */
public class AwaitilityDefaults implements BeforeEachCallback {
    static final Duration POLL = Duration.ofMillis(50);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        ClassLoader loader = context.getRequiredTestInstance().getClass().getClassLoader();
        Class.forName("org.awaitility.Awaitility", true, loader).getMethod("setDefaultPollInterval", Duration.class)
                .invoke(null, POLL);
    }
}
