package dev.serin.ui;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Sticky;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.rest.FakeKubeAuth;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at /ui/: its files load without a token, what it reads is authorised like the REST API, and in a
 * real (headless) browser it shows the Canaries as they are (their testers too) and pauses one.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
@WithStrictApiServer
class DashboardTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Strict
    StrictApiServer server;

    @Strict
    KubernetesClient client;

    @TestHTTPResource("/ui/")
    URL ui;

    Fixture f;
    String user;
    String token;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        f = new Fixture(client);
        user = "viewer-" + f.namespace;
        token = "token-" + f.namespace;
        FakeKubeAuth.user(token, user, "team-" + f.namespace);
    }

    @Test
    void pageAndLibrariesLoadWithoutAToken() {
        given().get("/ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("dashboard.js"))
                // its own files and uPlot's from the WebJar, nothing inline, nothing from elsewhere, in no frame
                .header("Content-Security-Policy", equalTo(CSP))
                .header("X-Frame-Options", equalTo("DENY"));
        given().get("/ui/index.html").then().statusCode(200).header("X-Frame-Options", equalTo("DENY"))
                .header("Content-Security-Policy", equalTo(CSP));
        given().get("/ui/dashboard.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/ui/dashboard.css").then().statusCode(200);
        // the versions index.html and dashboard.js name are the ones the jar holds
        given().get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").then().statusCode(200)
                .contentType(containsString("javascript"));
        given().get("/webjars/uplot/1.6.30/dist/uPlot.min.css").then().statusCode(200);
    }

    @Test
    void historyAndAnalysesAreAuthorisedLikeGettingTheCanary() {
        f.service("shop", 4);
        f.create(f.canary("shop", "shop", 5, "v2"));
        String history = "/api/v1/namespaces/{ns}/canaries/shop/history";
        String analyses = "/api/v1/namespaces/{ns}/canaries/shop/analyses";

        given().get(history, f.namespace).then().statusCode(401);
        given().get(analyses, f.namespace).then().statusCode(401);
        given().auth().oauth2(token).get(history, f.namespace).then().statusCode(403);
        given().auth().oauth2(token).get(analyses, f.namespace).then().statusCode(403);

        FakeKubeAuth.allow(user, f.namespace, "get");
        await().atMost(DEADLINE).untilAsserted(() -> given().auth().oauth2(token).get(history, f.namespace).then()
                .statusCode(200).body("source", equalTo("serin")).body("points[-1].desiredWeight", equalTo(5.0f)));
        given().auth().oauth2(token).get(analyses, f.namespace).then().statusCode(200).body("size()", equalTo(0));
        // the REST API's own routes under the same path are still answered
        given().auth().oauth2(token).get("/api/v1/namespaces/{ns}/canaries/shop", f.namespace).then().statusCode(200)
                .body("target", equalTo("shop"));
        given().auth().oauth2(token).get("/api/v1/namespaces/{ns}/canaries/nope/history", f.namespace).then()
                .statusCode(404);
    }

    @Test
    void historyRecordsEachWeightSerinSaw() {
        f.service("shop", 4);
        f.create(f.canary("shop", "shop", 5, "v2"));
        f.markReady("shop-canary");
        await().atMost(DEADLINE).until(() -> Objects.equals(5.0, weight(f.getCanary("shop"))));
        f.setWeight("shop", 25);
        await().atMost(DEADLINE).until(() -> {
            f.markReady("shop-canary");
            return Objects.equals(25.0, weight(f.getCanary("shop")));
        });
        FakeKubeAuth.allow(user, f.namespace, "get");

        await().atMost(DEADLINE).untilAsserted(() -> {
            List<Float> desired = given().auth().oauth2(token)
                    .get("/api/v1/namespaces/{ns}/canaries/shop/history", f.namespace).then().statusCode(200)
                    .extract().path("points.desiredWeight");
            List<Float> applied = given().auth().oauth2(token)
                    .get("/api/v1/namespaces/{ns}/canaries/shop/history", f.namespace).then().statusCode(200)
                    .extract().path("points.weight");
            assertTrue(desired.contains(5.0f) && desired.contains(25.0f), "desired weights " + desired);
            assertTrue(applied.contains(5.0f), "applied weights " + applied);
            assertEquals(25.0f, applied.get(applied.size() - 1), "applied weights " + applied);
        });
    }

    @Test
    void theBrowserShowsTheCanariesAndPausesOne() throws Exception {
        assumeTrue(Browser.installed(), Browser.CHROMIUM + " is not installed (Debian: apt-get install chromium chromium-driver)");
        f.service("shop", 40).service("cart", 10);
        Canary shop = f.canary("shop", "shop", 5, "v2");
        shop.getSpec().testers = List.of(Tester.header("x-canary", "always", false), Tester.cookie("canary", "1"));
        shop.getSpec().sticky = new Sticky("serin-canary", "1h");
        f.create(shop);
        f.create(f.canary("cart", "cart", 20, "v7"));
        f.markReady("shop-canary");
        f.markReady("cart-canary");
        await().atMost(DEADLINE).until(() -> Objects.equals(5.0, weight(f.getCanary("shop")))
                && Objects.equals(20.0, weight(f.getCanary("cart"))));
        // a step, so the chart has something to draw
        f.setWeight("shop", 12.5);
        await().atMost(DEADLINE).until(() -> {
            f.markReady("shop-canary");
            return Objects.equals(12.5, weight(f.getCanary("shop")));
        });
        recordAnalysis("shop", 5959.6551724137935, 85.62215909090904);
        FakeKubeAuth.allow(user, f.namespace, "get", "list", "patch");

        ChromeDriver browser = Browser.start();
        try {
            Browser.recordCspViolations(browser);
            WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
            browser.get(ui + "#" + f.namespace + "/shop"); // the form of status.dashboardUrl: one namespace, one canary open
            // without a token the API answers 401 and the page asks for one
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
            browser.findElement(By.id("token-save")).click();
            assertEquals(token, browser.executeScript("return sessionStorage.getItem('serin.token')"));

            for (String name : List.of("shop", "cart")) {
                Canary c = f.getCanary(name);
                String row = "tr[data-canary='" + f.namespace + "/" + name + "'] ";
                wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='applied']"),
                        percent(c.getStatus().weight)));
                assertEquals(c.getSpec().targetRef.name, text(browser, row + "td[data-field='target']"));
                assertEquals(percent(c.getSpec().weight), text(browser, row + "td[data-field='desired']"));
                assertEquals(c.getStatus().phase.name(), text(browser, row + "td[data-field='phase']"));
            }
            // issue 21: the testers, as kubectl canary testers writes them, and the sticky cookie
            assertEquals("header x-canary=always, cookie canary=1, sticky serin-canary 1h",
                    text(browser, "tr[data-canary='" + f.namespace + "/shop'] td[data-field='testers']"));
            assertEquals("—", text(browser, "tr[data-canary='" + f.namespace + "/cart'] td[data-field='testers']"));
            // the chart of the canary named in the URL
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart canvas")));
            // and its analyses, each value rounded as the status messages round it (issue 19: 5959.6551724137935)
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#analyses td[data-field='value']"), 2));
            assertEquals(List.of("5959.655", "85.622 ms"), browser.findElements(By.cssSelector(
                    "#analyses td[data-field='value']")).stream().map(e -> e.getText().trim()).toList());

            browser.findElement(By.cssSelector("tr[data-canary='" + f.namespace + "/cart'] button[data-action='pause']"))
                    .click();
            await().atMost(DEADLINE).until(() -> Boolean.TRUE.equals(f.getCanary("cart").getSpec().paused));
            assertEquals(null, f.getCanary("shop").getSpec().paused);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "pause " + f.namespace + "/cart: requested"));
            assertEquals(List.of(), Browser.cspViolations(browser), "the page keeps to its Content-Security-Policy");

            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception | AssertionError e) {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard-failed.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            throw new AssertionError("page said: " + browser.findElement(By.id("message")).getText(), e);
        } finally {
            browser.quit();
        }
    }

    /** An analysis check in status.analysis, as the autopilot writes one (the strict server's 409s retried). */
    private void recordAnalysis(String name, double requests, double latencyMs) {
        AnalysisRecord record = new AnalysisRecord();
        record.time = "2026-01-01T00:00:00Z";
        record.result = "Pass";
        record.metrics = List.of(metric("requests", requests), metric("latencyP99", latencyMs));
        await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
            Canary c = f.getCanary(name);
            c.getStatus().analysis = List.of(record);
            client.resources(Canary.class).inNamespace(f.namespace).resource(c).updateStatus();
        });
    }

    private static AnalysisRecord.MetricValue metric(String name, double value) {
        AnalysisRecord.MetricValue m = new AnalysisRecord.MetricValue();
        m.name = name;
        m.value = value;
        m.result = "Pass";
        m.message = "";
        return m;
    }

    private static Double weight(Canary c) {
        return c == null || c.getStatus() == null ? null : c.getStatus().weight;
    }

    /** As the page writes a weight: the JSON number, then " %". */
    private static String percent(Double weight) {
        return weight == null ? "—" : (weight == Math.rint(weight) ? Long.toString(weight.longValue()) : weight.toString()) + " %";
    }

    private static String text(ChromeDriver browser, String css) {
        WebElement e = browser.findElement(By.cssSelector(css));
        return e.getText().trim();
    }
}
