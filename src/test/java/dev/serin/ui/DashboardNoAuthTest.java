package dev.serin.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * serin.api.auth=none, as in the playground: the dashboard shows the canaries, asks for no token, and its buttons
 * work (they send JSON, which is all auth=none accepts for a change).
 */
@QuarkusTest
@WithStrictApiServer
class DashboardNoAuthTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @Strict
    KubernetesClient client;

    @TestHTTPResource("/ui/")
    URL ui;

    @Test
    void noTokenIsAskedFor() throws Exception {
        assumeTrue(Browser.installed(), Browser.CHROMIUM + " is not installed (Debian: apt-get install chromium chromium-driver)");
        Fixture f = new Fixture(client).service("shop", 4);
        f.create(f.canary("shop", "shop", 25, "v2"));
        f.markReady("shop-canary");
        await().atMost(DEADLINE).until(() -> f.getCanary("shop").getStatus() != null
                && Objects.equals(25.0, f.getCanary("shop").getStatus().weight));

        ChromeDriver browser = Browser.start();
        try {
            Browser.recordCspViolations(browser);
            browser.get(ui.toString());
            String row = "tr[data-canary='" + f.namespace + "/shop'] ";
            new WebDriverWait(browser, DEADLINE).until(ExpectedConditions.textToBe(
                    By.cssSelector(row + "td[data-field='applied']"), "25 %"));
            assertEquals("shop", browser.findElement(By.cssSelector(row + "td[data-field='target']")).getText());
            assertFalse(browser.findElement(By.id("token-form")).isDisplayed());
            assertEquals("", browser.findElement(By.id("message")).getText());

            // its buttons send what auth=none accepts (JSON, to localhost)
            browser.findElement(By.cssSelector(row + "button[data-action='pause']")).click();
            await().atMost(DEADLINE).until(() -> Boolean.TRUE.equals(f.getCanary("shop").getSpec().paused));
            new WebDriverWait(browser, DEADLINE).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("message"), "pause " + f.namespace + "/shop: requested"));
            assertEquals(List.of(), Browser.cspViolations(browser), "the page keeps to its Content-Security-Policy");
        } finally {
            browser.quit();
        }
    }
}
