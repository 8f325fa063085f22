package dev.serin.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven through Debian's chromedriver (packages chromium and chromium-driver, which
 * .ci/run installs). Both paths are given, so Selenium Manager never looks for or downloads a browser or driver.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM);
    }

    static ChromeDriver start() throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(CHROMIUM + " is installed but " + CHROMEDRIVER
                    + " is not: install Debian's chromium-driver (apt-get install chromium-driver)");
        }
        Path profile = Files.createTempDirectory("serin-chromium-");
        profile.toFile().deleteOnExit();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        return new ChromeDriver(service, options);
    }

    /** From the next page loaded on: every Content-Security-Policy violation the page causes, for {@link #cspViolations}. */
    static void recordCspViolations(ChromeDriver browser) {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__cspViolations = [];"
                        + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
                        + "e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile"
                        + " + ':' + e.lineNumber));"));
    }

    /** The violations recorded on the current page, as "directive refused what at where". */
    @SuppressWarnings("unchecked")
    static List<String> cspViolations(ChromeDriver browser) {
        Object v = browser.executeScript("return window.__cspViolations || ['not recorded']");
        return (List<String>) v;
    }
}
